package dev.firemesh.examples.trading.orders.flow;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.firemesh.chassis.cqrs.CommandOutcome;
import dev.firemesh.chassis.cqrs.Commands;
import dev.firemesh.chassis.events.EventTypes;
import dev.firemesh.chassis.events.RecordedEvent;
import dev.firemesh.chassis.events.subscription.ProcessManager;
import dev.firemesh.chassis.events.subscription.Subscription;
import dev.firemesh.examples.trading.risk.domain.ExposureAggregate;
import dev.firemesh.examples.trading.risk.domain.OrderEventView;
import dev.firemesh.examples.trading.risk.domain.TrackOrderEvent;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Forwards every order event risk reads ({@link OrderEventView#TYPES}) to risk, as a {@link
 * TrackOrderEvent} for the account's exposure, over the mesh. The command id is the event's id and
 * the correlation id the event's, so an event delivered again is applied by risk once, and risk's
 * events join the order's chain. Risk reads the event as its JSON, by field name, as it is stored:
 * the same contract as if it read orders' events itself.
 *
 * <p>Risk out of reach holds the partition (events of a stream stay in order) and is retried for
 * about a minute and a half before the event is parked as a dead letter, to be retried from the
 * CLI.
 */
public final class RiskFeed implements ProcessManager {
  private static final Logger log = LoggerFactory.getLogger("orders");

  /** The subscription's name. */
  public static final String NAME = "risk-feed";

  /** The service that owns exposure. */
  static final String RISK = "risk";

  private static final ObjectMapper JSON = EventTypes.newMapper();

  private final Commands commands;

  public RiskFeed(Commands commands) {
    this.commands = commands;
  }

  /** The subscription: the order events risk reads. */
  public Subscription subscription() {
    return Subscription.processManager(NAME, this)
        .eventTypes(OrderEventView.TYPES.toArray(String[]::new))
        .maxAttempts(20)
        .backoff(Duration.ofMillis(200), Duration.ofSeconds(5))
        .build();
  }

  @Override
  public void handle(RecordedEvent event) {
    OrderEventView view =
        OrderEventView.read(event.type(), JSON.valueToTree(event.payload()))
            .orElseThrow(
                () -> new IllegalStateException("risk does not read " + event.type() + " events"));
    CommandOutcome outcome =
        commands.send(
            RISK,
            ExposureAggregate.CATEGORY,
            view.account(),
            event.metadata().eventId().toString(),
            event.metadata().correlationId(),
            new TrackOrderEvent(event.type(), view));
    if (outcome instanceof CommandOutcome.Rejected r) {
      log.warn(
          "risk rejected {} {} of order {}: {} {}",
          event.type(),
          event.metadata().eventId(),
          view.orderId(),
          r.code(),
          r.reason());
    }
  }
}
