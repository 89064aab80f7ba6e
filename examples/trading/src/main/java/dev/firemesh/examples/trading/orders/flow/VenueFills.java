package dev.firemesh.examples.trading.orders.flow;

import dev.firemesh.chassis.cqrs.CommandMetadata;
import dev.firemesh.chassis.cqrs.CommandOutcome;
import dev.firemesh.chassis.cqrs.CommandProcessor;
import dev.firemesh.chassis.events.RecordedEvent;
import dev.firemesh.chassis.events.subscription.ProcessManager;
import dev.firemesh.chassis.events.subscription.Subscription;
import dev.firemesh.chassis.refdata.ReferenceView;
import dev.firemesh.chassis.refdata.domain.Instrument;
import dev.firemesh.chassis.refdata.domain.ReferenceSets;
import dev.firemesh.examples.trading.orders.domain.FillPlan;
import dev.firemesh.examples.trading.orders.domain.OrderAggregate;
import dev.firemesh.examples.trading.orders.domain.OrderCommand.CancelOrder;
import dev.firemesh.examples.trading.orders.domain.OrderCommand.RecordFill;
import dev.firemesh.examples.trading.orders.domain.OrderEvent.OrderAccepted;
import dev.firemesh.examples.trading.orders.domain.VenueSimulator;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The simulated venue: each accepted order is executed as {@link VenueSimulator} plans it, the
 * fills recorded on the order through the local command processor under their fill ids, and an
 * order the plan leaves part filled cancelled under {@code <orderId>-cancel}. The plan depends only
 * on the order, so an {@code OrderAccepted} delivered again sends the same commands under the same
 * ids, which change nothing the second time. The fills' execution times are the plan's offsets from
 * the acceptance; nothing waits for them.
 */
public final class VenueFills implements ProcessManager {
  private static final Logger log = LoggerFactory.getLogger("orders");

  /** The subscription's name. */
  public static final String NAME = "venue-fills";

  /** Who the fills and cancels are recorded as sent by. */
  static final String ACTOR = "venue-simulator";

  /** The simulator's seed: every instance plans an order alike. */
  static final long SEED = 20_261_127L;

  /** The share of orders the venue leaves part filled (then cancelled). */
  static final double PARTIAL_SHARE = 0.2;

  private final VenueSimulator venue = new VenueSimulator(SEED, PARTIAL_SHARE);
  private final OrderAggregate orders;
  private final CommandProcessor processor;
  private final Supplier<ReferenceView> referenceData;

  /**
   * @param orders the aggregate registered with {@code processor}
   * @param referenceData the instruments, for their tick and lot sizes
   */
  public VenueFills(
      OrderAggregate orders, CommandProcessor processor, Supplier<ReferenceView> referenceData) {
    this.orders = orders;
    this.processor = processor;
    this.referenceData = referenceData;
  }

  /** The subscription: every {@code OrderAccepted}. */
  public Subscription subscription() {
    return Subscription.processManager(NAME, this).eventTypes(OrderAccepted.class).build();
  }

  @Override
  public void handle(RecordedEvent event) {
    OrderAccepted order = event.payload(OrderAccepted.class);
    Instrument instrument =
        referenceData
            .get()
            .of(ReferenceSets.INSTRUMENTS)
            .get(order.isin())
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "order "
                            + order.orderId()
                            + ": instrument "
                            + order.isin()
                            + " is not in the reference data replica"));
    FillPlan plan = venue.plan(order, instrument.tickSize(), instrument.lotSize());
    CommandMetadata metadata =
        new CommandMetadata(ACTOR, event.metadata().correlationId(), event.metadata().traceId());
    for (RecordFill fill : plan.commands(event.metadata().recordedAt())) {
      report(order, fill.fillId(), send(order, fill.fillId(), fill, metadata));
    }
    if (!plan.complete()) {
      String cancelId = order.orderId() + "-cancel";
      CancelOrder cancel =
          new CancelOrder("the venue stopped after " + plan.quantity() + " of " + order.quantity());
      report(order, cancelId, send(order, cancelId, cancel, metadata));
    }
  }

  private CommandOutcome send(
      OrderAccepted order, String commandId, Object command, CommandMetadata metadata) {
    return processor.handle(OrderAggregate.CATEGORY, order.orderId(), commandId, command, metadata);
  }

  /** A rejection is the order's answer (it was cancelled or completed meanwhile), not a failure. */
  private static void report(OrderAccepted order, String commandId, CommandOutcome outcome) {
    if (outcome instanceof CommandOutcome.Rejected r) {
      log.info(
          "venue: {} on order {} rejected: {} {}",
          commandId,
          order.orderId(),
          r.code(),
          r.reason());
    }
  }
}
