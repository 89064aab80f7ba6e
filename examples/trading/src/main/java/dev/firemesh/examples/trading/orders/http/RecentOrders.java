package dev.firemesh.examples.trading.orders.http;

import dev.firemesh.chassis.cqrs.Decision;
import dev.firemesh.examples.trading.orders.domain.OrderAggregate;
import dev.firemesh.examples.trading.orders.domain.OrderCommand.PlaceOrder;
import dev.firemesh.examples.trading.orders.domain.OrderEvent;
import dev.firemesh.examples.trading.orders.domain.OrderState;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * This instance's recent orders, in memory: each placement decided and folded by the {@link
 * OrderAggregate}, so an order read back here has the state its events give it. Bounded; the oldest
 * are forgotten.
 */
final class RecentOrders {
  /** An order's terms as booked, and its state. */
  record Booked(PlaceOrder terms, OrderState state) {}

  private static final int KEPT = 10_000;

  private final OrderAggregate aggregate = new OrderAggregate();
  private final Map<String, Booked> orders =
      new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Booked> eldest) {
          return size() > KEPT;
        }
      };

  /**
   * Books {@code command}, or answers the order already booked under its id (the desk's ids are
   * unique, so that is a repeated placement, which changes nothing).
   */
  synchronized Booked place(PlaceOrder command) {
    Booked existing = orders.get(command.orderId());
    if (existing != null) {
      return existing;
    }
    OrderState state = aggregate.initial();
    if (aggregate.decide(state, command) instanceof Decision.Accept<OrderEvent> accept) {
      for (OrderEvent event : accept.events()) {
        state = aggregate.evolve(state, event);
      }
    }
    Booked booked = new Booked(command, state);
    orders.put(command.orderId(), booked);
    return booked;
  }

  synchronized Optional<Booked> get(String orderId) {
    return Optional.ofNullable(orders.get(orderId));
  }
}
