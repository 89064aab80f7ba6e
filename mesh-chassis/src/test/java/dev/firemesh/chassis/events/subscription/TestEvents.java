package dev.firemesh.chassis.events.subscription;

import dev.firemesh.chassis.events.EventTypes;
import dev.firemesh.store.Database;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Writes events the way the event store does, for subscription tests, and numbers them. */
final class TestEvents {
  /** A test event; {@code seq} is its place in its stream, checked by order-keeping handlers. */
  record Placed(String order, long seq, boolean poison) {}

  record Noted(String text) {}

  static final EventTypes TYPES =
      EventTypes.builder().type("Placed", Placed.class).type("Noted", Noted.class).build();

  private TestEvents() {}

  /** Appends {@code payloads} to {@code streamId} after {@code version}, in one transaction. */
  static List<UUID> append(Database database, String streamId, long version, Object... payloads) {
    return database.transaction(
        "append test events",
        c -> {
          List<UUID> ids = new ArrayList<>();
          long v = version;
          for (Object payload : payloads) {
            ids.add(insert(c, streamId, ++v, payload));
          }
          return ids;
        });
  }

  private static UUID insert(Connection c, String streamId, long version, Object payload)
      throws SQLException {
    EventTypes.Encoded encoded = TYPES.encode(payload);
    UUID id = UUID.randomUUID();
    try (PreparedStatement s =
        c.prepareStatement(
            "insert into es_events (event_id, stream_id, category, stream_version, event_type,"
                + " schema_version, payload, correlation_id, actor)"
                + " values (?, ?, ?, ?, ?, ?, ?::jsonb, ?, 'test')")) {
      s.setObject(1, id);
      s.setString(2, streamId);
      s.setString(3, streamId.split("-", 2)[0]);
      s.setLong(4, version);
      s.setString(5, encoded.type());
      s.setInt(6, encoded.schemaVersion());
      s.setString(7, encoded.json());
      s.setString(8, id.toString());
      s.executeUpdate();
    }
    return id;
  }

  /** Numbers the committed events as the sequencer does, and notifies subscribers. */
  static long sequence(Database database) {
    return database.transaction(
        "sequence test events",
        c -> {
          try (Statement s = c.createStatement()) {
            s.execute("select pg_advisory_xact_lock(7171)");
            s.execute(
                "with pending as (select event_id,"
                    + " row_number() over (order by staged) as n from es_events"
                    + " where position is null)"
                    + " update es_events e set position = (select position from es_head) + p.n"
                    + " from pending p where e.event_id = p.event_id");
            s.execute(
                "update es_head set position ="
                    + " (select coalesce(max(position), 0) from es_events)");
            s.execute("select pg_notify('es_sequenced', (select position::text from es_head))");
            try (var rs = s.executeQuery("select position from es_head")) {
              rs.next();
              return rs.getLong(1);
            }
          }
        });
  }

  /** Empties the event store and subscription tables between tests sharing one database. */
  static void reset(Database database) {
    database.transaction(
        "reset the event store",
        c -> {
          try (Statement s = c.createStatement()) {
            s.execute(
                "truncate es_events, es_subscription_partitions, es_subscription_members,"
                    + " es_dead_letters");
            s.execute("update es_head set position = 0");
          }
          return null;
        });
  }
}
