package dev.firemesh.chassis.events;

import dev.firemesh.store.Database;
import java.math.BigDecimal;
import java.sql.Statement;
import java.time.Instant;
import java.util.Optional;

/** Event records of the tests, and emptying the event store between tests sharing a database. */
final class TestEvents {
  record Opened(String owner, Instant at) {}

  record Deposited(BigDecimal amount, Optional<String> reference) {}

  record Noted(String text) {}

  static final EventTypes TYPES =
      EventTypes.builder()
          .type("Opened", Opened.class)
          .type("Deposited", Deposited.class)
          .type("Noted", Noted.class)
          .build();

  private TestEvents() {}

  static void reset(Database database) {
    database.transaction(
        "empty the event store",
        c -> {
          try (Statement s = c.createStatement()) {
            s.execute("truncate es_events, es_snapshots, es_commands");
            s.execute("update es_head set position = 0");
          }
          return null;
        });
  }
}
