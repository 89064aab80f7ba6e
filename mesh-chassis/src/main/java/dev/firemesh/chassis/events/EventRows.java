package dev.firemesh.chassis.events;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.Optional;
import java.util.UUID;

/**
 * Reads {@code es_events} rows as {@link RecordedEvent}s, for code that runs its own SQL on the
 * event store's tables (subscriptions). Select {@link #COLUMNS}, then {@link #read} each row.
 *
 * <pre>{@code
 * "select " + EventRows.COLUMNS + " from es_events where position > ? order by position"
 * }</pre>
 */
public final class EventRows {
  /** The columns {@link #read} needs, in a select list, unqualified. */
  public static final String COLUMNS =
      "event_id, stream_id, category, stream_version, position, event_type, schema_version,"
          + " payload::text as payload, command_id, causation_id, correlation_id, trace_id, actor,"
          + " recorded_at";

  private EventRows() {}

  /**
   * The event on {@code row}'s current row, selected with {@link #COLUMNS}.
   *
   * @throws UnreadableEventException if its type or schema version is unknown to {@code types}, or
   *     its payload does not read
   */
  public static RecordedEvent read(ResultSet row, EventTypes types) throws SQLException {
    String type = row.getString("event_type");
    int schemaVersion = row.getInt("schema_version");
    long position = row.getLong("position");
    if (row.wasNull()) {
      position = 0;
    }
    EventMetadata metadata = metadata(row);
    return new RecordedEvent(
        row.getString("stream_id"),
        row.getString("category"),
        row.getLong("stream_version"),
        position,
        type,
        schemaVersion,
        types.decode(type, schemaVersion, row.getString("payload")),
        metadata);
  }

  /** The metadata on {@code row}'s current row, selected with {@link #COLUMNS}. */
  static EventMetadata metadata(ResultSet row) throws SQLException {
    return new EventMetadata(
        row.getObject("event_id", UUID.class),
        Optional.ofNullable(row.getString("command_id")),
        Optional.ofNullable(row.getString("causation_id")),
        row.getString("correlation_id"),
        row.getString("trace_id"),
        row.getString("actor"),
        row.getObject("recorded_at", OffsetDateTime.class).toInstant());
  }
}
