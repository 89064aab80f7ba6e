package dev.firemesh.examples.trading.orders.domain;

import dev.firemesh.chassis.cqrs.Aggregate;
import dev.firemesh.chassis.cqrs.Decision;
import dev.firemesh.examples.trading.orders.domain.OrderCommand.CancelOrder;
import dev.firemesh.examples.trading.orders.domain.OrderCommand.PlaceOrder;
import dev.firemesh.examples.trading.orders.domain.OrderCommand.RecordFill;
import dev.firemesh.examples.trading.orders.domain.OrderEvent.OrderAccepted;
import dev.firemesh.examples.trading.orders.domain.OrderEvent.OrderCancelled;
import dev.firemesh.examples.trading.orders.domain.OrderEvent.OrderFilled;
import dev.firemesh.examples.trading.orders.domain.OrderEvent.OrderPartiallyFilled;
import dev.firemesh.examples.trading.orders.domain.OrderEvent.OrderPlaced;
import dev.firemesh.examples.trading.orders.domain.OrderEvent.OrderRejected;
import java.math.BigDecimal;

/**
 * One limit order, event-sourced, in streams {@code order-<orderId>}. It records the desk's verdict
 * rather than deciding it (the checks call reference data and risk, which a pure decide must not),
 * and guards the order's life: placed once, filled only while open and never beyond its quantity,
 * each fill once, cancelled only while open.
 *
 * <p>Rejection codes: {@value #ORDER_EXISTS} (a second placement), {@value #UNKNOWN_ORDER} (a fill
 * or cancel for an order never placed), {@value #ORDER_NOT_OPEN} (a new fill or a cancel for a
 * rejected, filled or cancelled order), {@value #OVERFILL} (a fill beyond the open quantity). A
 * fill whose id was recorded before is accepted with no event, whatever the order's status since.
 */
public final class OrderAggregate implements Aggregate<OrderState, OrderCommand, OrderEvent> {
  public static final String CATEGORY = "order";
  public static final String ORDER_EXISTS = "ORDER_EXISTS";
  public static final String UNKNOWN_ORDER = "UNKNOWN_ORDER";
  public static final String ORDER_NOT_OPEN = "ORDER_NOT_OPEN";
  public static final String OVERFILL = "OVERFILL";

  @Override
  public String category() {
    return CATEGORY;
  }

  @Override
  public OrderState initial() {
    return OrderState.NONE;
  }

  @Override
  public Decision<OrderEvent> decide(OrderState state, OrderCommand command) {
    return switch (command) {
      case PlaceOrder place -> place(state, place);
      case RecordFill fill -> fill(state, fill);
      case CancelOrder cancel -> cancel(state, cancel);
    };
  }

  private static Decision<OrderEvent> place(OrderState state, PlaceOrder c) {
    if (state.placed()) {
      return Decision.reject(
          ORDER_EXISTS, "order " + state.orderId() + " exists already (" + state.status() + ")");
    }
    OrderPlaced placed =
        new OrderPlaced(
            c.orderId(),
            c.clientOrderId(),
            c.account(),
            c.isin(),
            c.side(),
            c.quantity(),
            c.limitPrice(),
            c.currency(),
            c.venue(),
            c.placedBy());
    OrderEvent verdict =
        switch (c.verdict()) {
          case DeskVerdict.Accepted a ->
              new OrderAccepted(
                  c.orderId(),
                  c.account(),
                  c.isin(),
                  c.side(),
                  c.quantity(),
                  c.limitPrice(),
                  c.currency(),
                  c.venue());
          case DeskVerdict.Rejected r ->
              new OrderRejected(c.orderId(), c.account(), c.currency(), r.reason(), r.detail());
        };
    return Decision.accept(placed, verdict);
  }

  private static Decision<OrderEvent> fill(OrderState state, RecordFill c) {
    if (!state.placed()) {
      return Decision.reject(UNKNOWN_ORDER, "no order has been placed under this id");
    }
    if (state.fillIds().contains(c.fillId())) {
      // A redelivered execution report: already counted, nothing to add.
      return Decision.accept();
    }
    if (!state.status().open()) {
      return Decision.reject(
          ORDER_NOT_OPEN,
          "order " + state.orderId() + " is " + state.status() + ", fill " + c.fillId());
    }
    long leaves = state.leavesQuantity();
    if (c.quantity() > leaves) {
      return Decision.reject(
          OVERFILL,
          "fill "
              + c.fillId()
              + " of "
              + c.quantity()
              + " exceeds the "
              + leaves
              + " open on order "
              + state.orderId());
    }
    long cumulative = state.filledQuantity() + c.quantity();
    if (cumulative == state.quantity()) {
      BigDecimal notional =
          state.filledNotional().add(c.price().multiply(BigDecimal.valueOf(c.quantity())));
      return Decision.accept(
          new OrderFilled(
              state.orderId(),
              state.account(),
              c.fillId(),
              c.quantity(),
              c.price(),
              c.venue(),
              c.executedAt(),
              cumulative,
              OrderState.averagePrice(notional, cumulative),
              state.limitPrice(),
              state.currency()));
    }
    return Decision.accept(
        new OrderPartiallyFilled(
            state.orderId(),
            state.account(),
            c.fillId(),
            c.quantity(),
            c.price(),
            c.venue(),
            c.executedAt(),
            cumulative,
            state.quantity() - cumulative,
            state.limitPrice(),
            state.currency()));
  }

  private static Decision<OrderEvent> cancel(OrderState state, CancelOrder c) {
    if (!state.placed()) {
      return Decision.reject(UNKNOWN_ORDER, "no order has been placed under this id");
    }
    if (!state.status().open()) {
      return Decision.reject(
          ORDER_NOT_OPEN, "order " + state.orderId() + " is " + state.status() + ", not open");
    }
    return Decision.accept(
        new OrderCancelled(
            state.orderId(),
            state.account(),
            c.reason(),
            state.leavesQuantity(),
            state.limitPrice(),
            state.currency()));
  }

  @Override
  public OrderState evolve(OrderState state, OrderEvent event) {
    return switch (event) {
      case OrderPlaced e -> state.afterPlaced(e);
      case OrderAccepted e -> state.withStatus(OrderStatus.ACCEPTED);
      case OrderRejected e -> state.withStatus(OrderStatus.REJECTED);
      case OrderPartiallyFilled e ->
          state.afterFill(OrderStatus.PARTIALLY_FILLED, e.fillId(), e.quantity(), e.price());
      case OrderFilled e ->
          state.afterFill(OrderStatus.FILLED, e.fillId(), e.quantity(), e.price());
      case OrderCancelled e -> state.withStatus(OrderStatus.CANCELLED);
    };
  }
}
