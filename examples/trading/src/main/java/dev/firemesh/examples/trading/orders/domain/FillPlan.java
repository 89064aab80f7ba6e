package dev.firemesh.examples.trading.orders.domain;

import dev.firemesh.examples.trading.orders.domain.OrderCommand.RecordFill;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * How a simulated venue will execute one accepted order ({@link VenueSimulator#plan}).
 *
 * @param fills in execution order, at least one
 * @param complete whether the fills add up to the order's quantity; if not, the venue stops there
 *     and the rest stays open until it is cancelled
 */
public record FillPlan(String orderId, List<Fill> fills, boolean complete) {
  public FillPlan {
    Objects.requireNonNull(orderId, "orderId");
    fills = List.copyOf(fills);
    if (fills.isEmpty()) {
      throw new IllegalArgumentException("a fill plan has at least one fill");
    }
  }

  /**
   * One execution.
   *
   * @param fillId {@code <orderId>-F<n>}, n from 1: the same for the same order every time, so a
   *     fill sent again is recognised by the order
   * @param after how long after the order's acceptance it executes
   */
  public record Fill(String fillId, long quantity, BigDecimal price, String venue, Duration after) {
    /** The command that records this fill, for an order accepted at {@code acceptedAt}. */
    public RecordFill command(Instant acceptedAt) {
      return new RecordFill(fillId, quantity, price, venue, acceptedAt.plus(after));
    }
  }

  /** The shares all fills execute. */
  public long quantity() {
    return fills.stream().mapToLong(Fill::quantity).sum();
  }

  /** The commands that record every fill, in order, for an order accepted at {@code acceptedAt}. */
  public List<RecordFill> commands(Instant acceptedAt) {
    return fills.stream().map(f -> f.command(acceptedAt)).toList();
  }
}
