package dev.firemesh.chassis;

import dev.firemesh.chassis.events.EventStore;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.sql.PreparedStatement;
import java.sql.ResultSet;

/**
 * The event store as the service's metrics show it, read from the store at each scrape: how far the
 * global order reaches, and how many committed events still wait for the sequencer to number them
 * (above a handful for long means no instance is sequencing).
 */
final class EventStoreMetrics {
  private EventStoreMetrics() {}

  static void bind(EventStore events, MeterRegistry registry) {
    Gauge.builder("firemesh_chassis_events_head", events, EventStore::head)
        .description("the last global position given to an event")
        .register(registry);
    Gauge.builder("firemesh_chassis_events_unsequenced", events, EventStoreMetrics::unsequenced)
        .description("committed events not yet given a global position")
        .register(registry);
  }

  private static double unsequenced(EventStore events) {
    return events
        .database()
        .transaction(
            "count unsequenced events",
            c -> {
              try (PreparedStatement s =
                      c.prepareStatement("select count(*) from es_events where position is null");
                  ResultSet rs = s.executeQuery()) {
                rs.next();
                return (double) rs.getLong(1);
              }
            });
  }
}
