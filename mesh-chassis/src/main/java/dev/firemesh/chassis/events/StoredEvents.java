package dev.firemesh.chassis.events;

import dev.firemesh.store.Database;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the event store's events as they are stored, without the service's {@link EventTypes}: what
 * {@code firemesh events} shows with only the store's URL. Services read through {@link
 * EventStore}, which upcasts and binds payloads.
 */
public final class StoredEvents {
  private StoredEvents() {}

  /**
   * The events of stream {@code streamId}, in stream order, sequenced or not yet; empty if there is
   * no such stream.
   *
   * @throws dev.firemesh.store.StoreException if the store cannot be read
   */
  public static List<StoredEvent> stream(Database database, String streamId) {
    return read(
        database,
        "read stream " + streamId,
        "where stream_id = ? order by stream_version",
        s -> s.setString(1, streamId));
  }

  /** Up to {@code max} sequenced events after position {@code afterPosition}, in global order. */
  public static List<StoredEvent> after(Database database, long afterPosition, int max) {
    if (max < 1) {
      throw new IllegalArgumentException("max must be positive, not " + max);
    }
    return read(
        database,
        "read events after position " + afterPosition,
        "where position > ? order by position limit ?",
        s -> {
          s.setLong(1, afterPosition);
          s.setInt(2, max);
        });
  }

  /** The last {@code max} sequenced events, in global order. */
  public static List<StoredEvent> last(Database database, int max) {
    if (max < 1) {
      throw new IllegalArgumentException("max must be positive, not " + max);
    }
    return read(
        database,
        "read the last " + max + " events",
        "where position > (select position from es_head) - ? order by position",
        s -> s.setInt(1, max));
  }

  /** The last position given: the number of sequenced events. */
  public static long head(Database database) {
    return database.transaction(
        "read the event store's head",
        c -> {
          try (PreparedStatement s = c.prepareStatement("select position from es_head");
              ResultSet rs = s.executeQuery()) {
            return rs.next() ? rs.getLong(1) : 0;
          }
        });
  }

  @FunctionalInterface
  private interface Parameters {
    void set(PreparedStatement statement) throws SQLException;
  }

  private static List<StoredEvent> read(
      Database database, String what, String where, Parameters parameters) {
    return database.transaction(
        what,
        c -> {
          try (PreparedStatement s =
              c.prepareStatement("select " + EventRows.COLUMNS + " from es_events " + where)) {
            parameters.set(s);
            List<StoredEvent> events = new ArrayList<>();
            try (ResultSet rs = s.executeQuery()) {
              while (rs.next()) {
                long position = rs.getLong("position");
                if (rs.wasNull()) {
                  position = 0;
                }
                events.add(
                    new StoredEvent(
                        rs.getString("stream_id"),
                        rs.getLong("stream_version"),
                        position,
                        rs.getString("event_type"),
                        rs.getInt("schema_version"),
                        rs.getString("payload"),
                        EventRows.metadata(rs)));
              }
            }
            return events;
          }
        });
  }
}
