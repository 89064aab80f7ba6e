package dev.firemesh.examples.trading.orders.domain;

import dev.firemesh.examples.trading.orders.domain.OrderEvent.OrderAccepted;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.random.RandomGenerator;

/**
 * A venue that executes accepted orders, as a pure function: the plan for an order depends only on
 * the simulator's seed and the order, never on what was planned before, so an {@code OrderAccepted}
 * delivered again (at least once) gives the same fills with the same ids, which the order then
 * recognises.
 *
 * <p>A plan has one to four fills in whole lots (an odd lot's remainder goes to the last fill of a
 * complete plan), each at the limit or up to two ticks better; with probability {@code
 * partialShare} it fills only part of the order and stops, leaving the rest open for a cancel.
 */
public final class VenueSimulator {
  private static final int MAX_FILLS = 4;
  private static final int MAX_IMPROVEMENT_TICKS = 2;
  private static final long MIN_GAP_MILLIS = 20;
  private static final long MAX_GAP_MILLIS = 400;

  private final long seed;
  private final double partialShare;

  /**
   * @param seed makes the simulator's choices repeatable
   * @param partialShare the share of orders left part filled, from 0 to 1
   */
  public VenueSimulator(long seed, double partialShare) {
    if (!(partialShare >= 0 && partialShare <= 1)) {
      throw new IllegalArgumentException("partialShare must be from 0 to 1, got " + partialShare);
    }
    this.seed = seed;
    this.partialShare = partialShare;
  }

  /**
   * How the venue executes {@code order}.
   *
   * @param tickSize the instrument's tick: a better price is a whole number of ticks better
   * @param lotSize the instrument's lot: fills are whole lots, but for an odd lot's remainder
   */
  public FillPlan plan(OrderAccepted order, BigDecimal tickSize, long lotSize) {
    if (tickSize.signum() <= 0 || lotSize <= 0) {
      throw new IllegalArgumentException(
          "tick and lot size must be positive, got " + tickSize + " and " + lotSize);
    }
    RandomGenerator random = new SplittableRandom(seed ^ hash(order.orderId()));
    long quantity = order.quantity();
    // Pieces are the lots, and the odd remainder if any; fills take whole pieces.
    long pieces = quantity / lotSize + (quantity % lotSize == 0 ? 0 : 1);
    boolean partial = pieces > 1 && random.nextDouble() < partialShare;
    int fills =
        partial
            ? 1 + random.nextInt((int) Math.min(MAX_FILLS - 1, pieces - 1))
            : 1 + random.nextInt((int) Math.min(MAX_FILLS, pieces));
    // A partial plan splits into one part more than it fills and never executes the last.
    List<Long> bounds = cuts(random, pieces, partial ? fills + 1 : fills);

    List<FillPlan.Fill> plan = new ArrayList<>(fills);
    long gone = 0;
    Duration after = Duration.ZERO;
    for (int i = 0; i < fills; i++) {
      long upTo = Math.min(bounds.get(i) * lotSize, quantity);
      after =
          after.plusMillis(MIN_GAP_MILLIS + random.nextLong(MAX_GAP_MILLIS - MIN_GAP_MILLIS + 1));
      plan.add(
          new FillPlan.Fill(
              order.orderId() + "-F" + (i + 1),
              upTo - gone,
              price(order, tickSize, random.nextInt(MAX_IMPROVEMENT_TICKS + 1)),
              order.venue(),
              after));
      gone = upTo;
    }
    return new FillPlan(order.orderId(), plan, !partial);
  }

  /**
   * The ends of {@code parts} non-empty runs of {@code pieces}, ascending: distinct cut points
   * chosen at random, and {@code pieces} itself last.
   */
  private static List<Long> cuts(RandomGenerator random, long pieces, int parts) {
    TreeSet<Long> cuts = new TreeSet<>();
    while (cuts.size() < parts - 1) {
      cuts.add(1 + random.nextLong(pieces - 1));
    }
    List<Long> bounds = new ArrayList<>(cuts);
    bounds.add(pieces);
    return bounds;
  }

  /** The limit, or {@code ticks} better for the order's side; never zero or below. */
  private static BigDecimal price(OrderAccepted order, BigDecimal tickSize, int ticks) {
    BigDecimal improvement = tickSize.multiply(BigDecimal.valueOf(ticks));
    BigDecimal price =
        switch (order.side()) {
          case BUY -> order.limitPrice().subtract(improvement);
          case SELL -> order.limitPrice().add(improvement);
        };
    return price.signum() > 0 ? price : order.limitPrice();
  }

  /** FNV-1a, 64 bits, over the id's UTF-8 bytes: the same on every JVM and run. */
  private static long hash(String orderId) {
    long h = 0xcbf29ce484222325L;
    for (byte b : orderId.getBytes(StandardCharsets.UTF_8)) {
      h ^= b & 0xff;
      h *= 0x100000001b3L;
    }
    return h;
  }
}
