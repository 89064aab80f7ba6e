package dev.firemesh.examples.trading.orders.domain;

import dev.firemesh.chassis.cqrs.CommandTypes;
import dev.firemesh.chassis.events.EventTypes;
import dev.firemesh.examples.trading.orders.domain.OrderCommand.CancelOrder;
import dev.firemesh.examples.trading.orders.domain.OrderCommand.PlaceOrder;
import dev.firemesh.examples.trading.orders.domain.OrderCommand.RecordFill;
import dev.firemesh.examples.trading.orders.domain.OrderEvent.OrderAccepted;
import dev.firemesh.examples.trading.orders.domain.OrderEvent.OrderCancelled;
import dev.firemesh.examples.trading.orders.domain.OrderEvent.OrderFilled;
import dev.firemesh.examples.trading.orders.domain.OrderEvent.OrderPartiallyFilled;
import dev.firemesh.examples.trading.orders.domain.OrderEvent.OrderPlaced;
import dev.firemesh.examples.trading.orders.domain.OrderEvent.OrderRejected;

/**
 * The names orders' events and commands are stored and sent under: the simple names of the records,
 * events at schema version 1. Other services read the events by these names (risk's {@code
 * OrderEventView}), so a name never changes; a new shape is a new version with an upcaster.
 */
public final class OrderTypes {
  private OrderTypes() {}

  /** Orders' event types. */
  public static EventTypes events() {
    return EventTypes.builder()
        .type("OrderPlaced", OrderPlaced.class, 1)
        .type("OrderAccepted", OrderAccepted.class, 1)
        .type("OrderRejected", OrderRejected.class, 1)
        .type("OrderPartiallyFilled", OrderPartiallyFilled.class, 1)
        .type("OrderFilled", OrderFilled.class, 1)
        .type("OrderCancelled", OrderCancelled.class, 1)
        .build();
  }

  /** Adds the commands an order takes to {@code commands}. */
  public static CommandTypes.Builder commands(CommandTypes.Builder commands) {
    return commands
        .type("PlaceOrder", PlaceOrder.class)
        .type("RecordFill", RecordFill.class)
        .type("CancelOrder", CancelOrder.class);
  }
}
