package dev.firemesh.examples.trading.orders.domain;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Currency;
import java.util.Objects;

/**
 * What happened to an order ({@link OrderAggregate}). Stored as JSON under the record's simple name
 * ({@code OrderAccepted}, ...), and read as JSON by other services (risk's exposure), so every
 * event carries what a reader needs without the order's history: the order id, the account, and on
 * the events that change open quantity the limit price and currency that measure it. Plain
 * components, no {@code Optional}, money as {@link BigDecimal}.
 */
public sealed interface OrderEvent {

  /** The order's id (also the id of its stream). */
  String orderId();

  /** The order was booked, with these terms; its verdict follows in the same append. */
  record OrderPlaced(
      String orderId,
      String clientOrderId,
      String account,
      String isin,
      Side side,
      long quantity,
      BigDecimal limitPrice,
      Currency currency,
      String venue,
      String placedBy)
      implements OrderEvent {
    public OrderPlaced {
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
    }
  }

  /**
   * The order is open on the venue for {@code quantity} at {@code limitPrice}: its notional counts
   * as the account's open exposure until it is filled or cancelled. Repeats the terms a venue or a
   * risk reader needs, so neither has to read {@link OrderPlaced}.
   */
  record OrderAccepted(
      String orderId,
      String account,
      String isin,
      Side side,
      long quantity,
      BigDecimal limitPrice,
      Currency currency,
      String venue)
      implements OrderEvent {
    public OrderAccepted {
      Checks.text(orderId, "orderId");
      Checks.text(account, "account");
      Checks.text(isin, "isin");
      Objects.requireNonNull(side, "side");
      Checks.positive(quantity, "quantity");
      Checks.positive(limitPrice, "limitPrice");
      Objects.requireNonNull(currency, "currency");
      Checks.text(venue, "venue");
    }
  }

  /**
   * The desk refused the order; it never was open.
   *
   * @param detail what was wrong, with the values involved
   */
  record OrderRejected(
      String orderId, String account, Currency currency, RejectReason reason, String detail)
      implements OrderEvent {
    public OrderRejected {
      Checks.text(orderId, "orderId");
      Checks.text(account, "account");
      Objects.requireNonNull(currency, "currency");
      Objects.requireNonNull(reason, "reason");
      Objects.requireNonNull(detail, "detail");
    }
  }

  /**
   * A fill that leaves part of the order open.
   *
   * @param quantity shares in this fill
   * @param price this fill's price
   * @param cumulativeQuantity shares filled so far, this fill included
   * @param leavesQuantity shares still open after this fill, positive
   * @param limitPrice the order's limit price (what its open quantity is measured at)
   */
  record OrderPartiallyFilled(
      String orderId,
      String account,
      String fillId,
      long quantity,
      BigDecimal price,
      String venue,
      Instant executedAt,
      long cumulativeQuantity,
      long leavesQuantity,
      BigDecimal limitPrice,
      Currency currency)
      implements OrderEvent {
    public OrderPartiallyFilled {
      Checks.text(orderId, "orderId");
      Checks.text(account, "account");
      Checks.text(fillId, "fillId");
      Checks.positive(quantity, "quantity");
      Checks.positive(price, "price");
      Checks.text(venue, "venue");
      Objects.requireNonNull(executedAt, "executedAt");
      Checks.positive(cumulativeQuantity, "cumulativeQuantity");
      Checks.positive(leavesQuantity, "leavesQuantity");
      Checks.positive(limitPrice, "limitPrice");
      Objects.requireNonNull(currency, "currency");
    }
  }

  /**
   * The fill that completes the order.
   *
   * @param quantity shares in this fill
   * @param price this fill's price
   * @param cumulativeQuantity shares filled in all, the order's quantity
   * @param averagePrice the volume-weighted price of all its fills, to {@value
   *     OrderState#AVERAGE_PRICE_SCALE} decimals
   * @param limitPrice the order's limit price (what its open quantity is measured at)
   */
  record OrderFilled(
      String orderId,
      String account,
      String fillId,
      long quantity,
      BigDecimal price,
      String venue,
      Instant executedAt,
      long cumulativeQuantity,
      BigDecimal averagePrice,
      BigDecimal limitPrice,
      Currency currency)
      implements OrderEvent {
    public OrderFilled {
      Checks.text(orderId, "orderId");
      Checks.text(account, "account");
      Checks.text(fillId, "fillId");
      Checks.positive(quantity, "quantity");
      Checks.positive(price, "price");
      Checks.text(venue, "venue");
      Objects.requireNonNull(executedAt, "executedAt");
      Checks.positive(cumulativeQuantity, "cumulativeQuantity");
      Checks.positive(averagePrice, "averagePrice");
      Checks.positive(limitPrice, "limitPrice");
      Objects.requireNonNull(currency, "currency");
    }
  }

  /**
   * What was left of the order is cancelled; fills before it stand.
   *
   * @param leavesQuantity the shares that were still open and are no longer, positive
   * @param limitPrice the order's limit price (what its open quantity is measured at)
   */
  record OrderCancelled(
      String orderId,
      String account,
      String reason,
      long leavesQuantity,
      BigDecimal limitPrice,
      Currency currency)
      implements OrderEvent {
    public OrderCancelled {
      Checks.text(orderId, "orderId");
      Checks.text(account, "account");
      Objects.requireNonNull(reason, "reason");
      Checks.positive(leavesQuantity, "leavesQuantity");
      Checks.positive(limitPrice, "limitPrice");
      Objects.requireNonNull(currency, "currency");
    }
  }
}
