package dev.firemesh.examples.trading.orders.http;

import dev.firemesh.chassis.events.RecordedEvent;
import dev.firemesh.examples.trading.orders.domain.OrderAggregate;
import dev.firemesh.examples.trading.orders.domain.OrderEvent;
import dev.firemesh.examples.trading.orders.domain.OrderEvent.OrderPlaced;
import dev.firemesh.examples.trading.orders.domain.OrderEvent.OrderRejected;
import dev.firemesh.examples.trading.orders.domain.OrderState;
import java.util.List;
import java.util.Optional;

/**
 * An order as its stream tells it: the terms it was placed with, its state folded by the {@link
 * OrderAggregate}, and the desk's rejection if it was rejected.
 *
 * @param version the stream version the state is at
 */
record OrderRecord(
    OrderPlaced terms, OrderState state, Optional<OrderRejected> rejection, long version) {

  /** The order as events {@code 1..upTo} of its stream left it; empty if they hold no placement. */
  static Optional<OrderRecord> fold(
      OrderAggregate aggregate, List<RecordedEvent> events, long upTo) {
    OrderPlaced terms = null;
    OrderRejected rejection = null;
    OrderState state = aggregate.initial();
    long version = 0;
    for (RecordedEvent recorded : events) {
      if (recorded.streamVersion() > upTo) {
        break;
      }
      OrderEvent event = recorded.payload(OrderEvent.class);
      switch (event) {
        case OrderPlaced p -> terms = p;
        case OrderRejected r -> rejection = r;
        default -> {}
      }
      state = aggregate.evolve(state, event);
      version = recorded.streamVersion();
    }
    return terms == null
        ? Optional.empty()
        : Optional.of(new OrderRecord(terms, state, Optional.ofNullable(rejection), version));
  }
}
