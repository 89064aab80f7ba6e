package dev.firemesh.examples.trading.risk.domain;

import java.util.Objects;

/**
 * Risk's one command: take an order event into an account's exposure ({@link ExposureAggregate}).
 * Orders sends it for each order event risk reads, under the event's id as the command id, so an
 * event forwarded again is applied once.
 *
 * @param sourceEventType the order event's type name ({@code OrderFilled}, ...), recorded with the
 *     change it makes
 * @param event what risk reads of it
 */
public record TrackOrderEvent(String sourceEventType, OrderEventView event) {
  public TrackOrderEvent {
    Objects.requireNonNull(sourceEventType, "sourceEventType");
    Objects.requireNonNull(event, "event");
    if (!OrderEventView.TYPES.contains(sourceEventType)) {
      throw new IllegalArgumentException(
          "risk tracks " + OrderEventView.TYPES + ", not " + sourceEventType);
    }
  }
}
