package dev.firemesh.examples.trading.orders.domain;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Currency;
import java.util.Objects;

/**
 * What can be asked of an order ({@link OrderAggregate}). Records with plain components, bound from
 * and written to JSON by the chassis; a value that could never be valid (a quantity of 0, a blank
 * id) fails at construction, so it is a malformed command, not a rejection.
 */
public sealed interface OrderCommand {

  /**
   * Books a new order with the desk's verdict on it (see {@link OrderDesk#place}).
   *
   * @param orderId the desk's id for it, which names its stream ({@code order-<orderId>})
   * @param clientOrderId the client's own reference (may be empty)
   * @param account the trade account it books to
   * @param isin the instrument's ISIN
   * @param quantity the number of shares, positive
   * @param limitPrice the worst price the client accepts, positive, in {@code currency}
   * @param currency the instrument's trading currency
   * @param venue the MIC of the venue it is routed to (the instrument's listing)
   * @param placedBy who placed it, as the caller named itself
   */
  record PlaceOrder(
      String orderId,
      String clientOrderId,
      String account,
      String isin,
      Side side,
      long quantity,
      BigDecimal limitPrice,
      Currency currency,
      String venue,
      String placedBy,
      DeskVerdict verdict)
      implements OrderCommand {
    public PlaceOrder {
      Checks.text(orderId, "orderId");
      Objects.requireNonNull(clientOrderId, "clientOrderId");
      Checks.text(account, "account");
      Checks.text(isin, "isin");
      Objects.requireNonNull(side, "side");
      Checks.positive(quantity, "quantity");
      Checks.positive(limitPrice, "limitPrice");
      Objects.requireNonNull(currency, "currency");
      Checks.text(venue, "venue");
      Objects.requireNonNull(placedBy, "placedBy");
      Objects.requireNonNull(verdict, "verdict");
    }
  }

  /**
   * An execution reported by the venue. Its {@code fillId} makes it idempotent: a fill already
   * recorded changes nothing, however often it is sent again.
   *
   * @param fillId the venue's execution id, unique per order
   * @param quantity shares executed, positive
   * @param price the execution price, positive
   * @param venue the MIC of the venue that executed it
   * @param executedAt when the venue executed it
   */
  record RecordFill(
      String fillId, long quantity, BigDecimal price, String venue, Instant executedAt)
      implements OrderCommand {
    public RecordFill {
      Checks.text(fillId, "fillId");
      Checks.positive(quantity, "quantity");
      Checks.positive(price, "price");
      Checks.text(venue, "venue");
      Objects.requireNonNull(executedAt, "executedAt");
    }
  }

  /**
   * Cancels what is left of an open order.
   *
   * @param reason why, for people (e.g. {@code client request}, {@code venue closed})
   */
  record CancelOrder(String reason) implements OrderCommand {
    public CancelOrder {
      Checks.text(reason, "reason");
    }
  }
}
