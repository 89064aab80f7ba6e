package dev.firemesh.chassis.events.subscription;

import dev.firemesh.chassis.events.AppendResult;
import dev.firemesh.chassis.events.EventStore;
import dev.firemesh.chassis.events.EventTypes;
import dev.firemesh.chassis.events.NewEvent;
import dev.firemesh.store.Database;
import java.sql.Statement;
import java.util.Arrays;

/** The events subscription tests append, and helpers to append and reset them. */
final class TestEvents {
  /** A test event; {@code seq} is its place in its stream, checked by order-keeping handlers. */
  record Placed(String order, long seq, boolean poison) {}

  record Noted(String text) {}

  static final EventTypes TYPES =
      EventTypes.builder().type("Placed", Placed.class).type("Noted", Noted.class).build();

  private TestEvents() {}

  /** Appends {@code payloads} to {@code streamId} after {@code version}, in one transaction. */
  static AppendResult append(EventStore store, String streamId, long version, Object... payloads) {
    return store.append(
        streamId, version, Arrays.stream(payloads).map(p -> NewEvent.of(p, "test")).toList());
  }

  /** Creates a test's read model: runs {@code ddl} in one transaction. */
  static void createReadModel(Database database, String ddl) {
    database.transaction(
        "create the read model",
        c -> {
          try (Statement s = c.createStatement()) {
            s.execute(ddl);
          }
          return null;
        });
  }

  /** Empties the event store and subscription tables between tests sharing one database. */
  static void reset(Database database) {
    database.transaction(
        "reset the event store",
        c -> {
          try (Statement s = c.createStatement()) {
            s.execute(
                "truncate es_events, es_subscription_partitions, chassis_members,"
                    + " es_dead_letters");
            s.execute("update es_head set position = 0");
          }
          return null;
        });
  }
}
