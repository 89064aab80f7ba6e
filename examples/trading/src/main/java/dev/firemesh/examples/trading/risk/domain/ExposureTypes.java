package dev.firemesh.examples.trading.risk.domain;

import dev.firemesh.chassis.cqrs.CommandTypes;
import dev.firemesh.chassis.events.EventTypes;
import dev.firemesh.examples.trading.risk.domain.ExposureEvent.DailyLimitsReset;
import dev.firemesh.examples.trading.risk.domain.ExposureEvent.ExposureChanged;

/**
 * The names risk's events and commands are stored and sent under: the simple names of the records,
 * schema version 1.
 */
public final class ExposureTypes {
  private ExposureTypes() {}

  /** Risk's event types. */
  public static EventTypes events() {
    return EventTypes.builder()
        .type("ExposureChanged", ExposureChanged.class, 1)
        .type("DailyLimitsReset", DailyLimitsReset.class, 1)
        .build();
  }

  /**
   * Adds risk's commands to {@code commands}: risk takes them, and orders sends them, which needs
   * their names too.
   */
  public static CommandTypes.Builder commands(CommandTypes.Builder commands) {
    return commands.type("TrackOrderEvent", TrackOrderEvent.class);
  }
}
