package dev.firemesh.examples.trading.orders.domain;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Currency;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;

/**
 * An order as its events left it: what {@link OrderAggregate} decides from. Before the order is
 * placed the terms are empty ({@link #NONE}); {@link #placed()} tells.
 *
 * @param quantity the shares ordered
 * @param limitPrice the worst price the client accepts
 * @param filledQuantity the shares filled so far, never above {@code quantity}
 * @param filledNotional the sum of quantity x price over the fills, exact
 * @param averagePrice {@code filledNotional / filledQuantity} to {@value #AVERAGE_PRICE_SCALE}
 *     decimals (half even), 0 before the first fill
 * @param fillIds the fills recorded, so a fill sent again is recognised
 */
public record OrderState(
    OrderStatus status,
    String orderId,
    String account,
    long quantity,
    BigDecimal limitPrice,
    Currency currency,
    long filledQuantity,
    BigDecimal filledNotional,
    BigDecimal averagePrice,
    Set<String> fillIds) {

  /** Decimals of an average price: finer than any tick in the reference data. */
  public static final int AVERAGE_PRICE_SCALE = 6;

  /** The ISO 4217 code for "no currency", the currency of an order not yet placed. */
  private static final Currency NO_CURRENCY = Currency.getInstance("XXX");

  /** No order yet. */
  public static final OrderState NONE =
      new OrderState(
          OrderStatus.NEW,
          "",
          "",
          0,
          BigDecimal.ZERO,
          NO_CURRENCY,
          0,
          BigDecimal.ZERO,
          BigDecimal.ZERO,
          Set.of());

  public OrderState {
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(orderId, "orderId");
    Objects.requireNonNull(account, "account");
    Objects.requireNonNull(limitPrice, "limitPrice");
    Objects.requireNonNull(currency, "currency");
    Objects.requireNonNull(filledNotional, "filledNotional");
    Objects.requireNonNull(averagePrice, "averagePrice");
    fillIds = Set.copyOf(fillIds);
  }

  /** Whether the order was placed (its stream has events). */
  public boolean placed() {
    return !orderId.isEmpty();
  }

  /** Shares still open: what a fill may take and a cancel releases; 0 once the order is final. */
  public long leavesQuantity() {
    return status.open() ? quantity - filledQuantity : 0;
  }

  OrderState afterPlaced(OrderEvent.OrderPlaced e) {
    return new OrderState(
        OrderStatus.NEW,
        e.orderId(),
        e.account(),
        e.quantity(),
        e.limitPrice(),
        e.currency(),
        0,
        BigDecimal.ZERO,
        BigDecimal.ZERO,
        Set.of());
  }

  OrderState withStatus(OrderStatus next) {
    return new OrderState(
        next,
        orderId,
        account,
        quantity,
        limitPrice,
        currency,
        filledQuantity,
        filledNotional,
        averagePrice,
        fillIds);
  }

  /** This state after a fill, in status {@code next}. */
  OrderState afterFill(OrderStatus next, String fillId, long fillQuantity, BigDecimal price) {
    long filled = filledQuantity + fillQuantity;
    BigDecimal notional = filledNotional.add(price.multiply(BigDecimal.valueOf(fillQuantity)));
    Set<String> ids = new HashSet<>(fillIds);
    ids.add(fillId);
    return new OrderState(
        next,
        orderId,
        account,
        quantity,
        limitPrice,
        currency,
        filled,
        notional,
        averagePrice(notional, filled),
        ids);
  }

  static BigDecimal averagePrice(BigDecimal notional, long quantity) {
    return notional.divide(
        BigDecimal.valueOf(quantity), AVERAGE_PRICE_SCALE, RoundingMode.HALF_EVEN);
  }
}
