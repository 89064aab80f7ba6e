package dev.firemesh.chassis.events;

import dev.firemesh.store.Database;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Streams of events in the service's PostgreSQL ({@code es_events}), appended with optimistic
 * concurrency on the stream's version and read back by stream or in the store's global order.
 *
 * <p>An append inserts its events with the stream's next versions and no global position; the
 * unique {@code (stream_id, stream_version)} refuses a racing append to the same stream, so appends
 * to different streams never wait for each other. The {@link Sequencer} gives committed events
 * their positions afterwards, so {@link #readAll} never skips one (see its class comment).
 *
 * <pre>{@code
 * try (EventStore store = EventStore.open(database, types)) {
 *   store.append("order-42", 0, List.of(NewEvent.of(new OrderPlaced(...), actor)));
 *   List<RecordedEvent> history = store.readStream("order-42", 1);
 * }
 * }</pre>
 */
public final class EventStore implements AutoCloseable {
  /** Notified (empty payload) in every append's transaction. */
  public static final String APPENDED_CHANNEL = "es_appended";

  /** Notified with the new head position in every numbering transaction. */
  public static final String SEQUENCED_CHANNEL = "es_sequenced";

  /** The longest stream id. */
  public static final int MAX_STREAM_ID_LENGTH = 200;

  private static final String UNIQUE_VIOLATION = "23505";

  private final Database database;
  private final EventTypes types;
  private final Sequencer sequencer;

  private EventStore(Database database, EventTypes types, Sequencer sequencer) {
    this.database = database;
    this.types = types;
    this.sequencer = sequencer;
  }

  /**
   * The event store in {@code database} (migrated with the chassis's schema), reading and writing
   * {@code types}, with its {@link Sequencer} running.
   *
   * @throws dev.firemesh.store.StoreException if the sequencer cannot listen for appends
   */
  public static EventStore open(Database database, EventTypes types) {
    return new EventStore(database, types, Sequencer.start(database));
  }

  public Database database() {
    return database;
  }

  public EventTypes types() {
    return types;
  }

  public Sequencer sequencer() {
    return sequencer;
  }

  /**
   * The category of a stream: its id up to the first {@code -} ({@code order-42} → {@code order}),
   * the whole id if it has none.
   *
   * @throws IllegalArgumentException if the id is not a valid stream id
   */
  public static String categoryOf(String streamId) {
    checkStreamId(streamId);
    int dash = streamId.indexOf('-');
    return dash < 0 ? streamId : streamId.substring(0, dash);
  }

  /**
   * Appends {@code events} to a stream in a transaction of its own.
   *
   * @param expectedVersion the stream's version the events were decided on; 0 for a new stream
   * @throws WrongExpectedVersionException if the stream is at another version; nothing is written
   * @throws IllegalArgumentException for an invalid stream id, a negative version, no events, or a
   *     payload whose class is not in {@link #types()}
   * @throws dev.firemesh.store.StoreException if the store cannot be written
   */
  public AppendResult append(String streamId, long expectedVersion, List<NewEvent> events) {
    return database.transaction(
        "append to " + streamId, c -> append(c, streamId, expectedVersion, events));
  }

  /**
   * As {@link #append(String, long, List)}, in the caller's transaction on {@code connection}
   * (auto-commit off), so other writes commit or roll back with the events. On a conflict nothing
   * of this append stays in the transaction, which remains usable.
   *
   * @throws SQLException if the store fails; the caller rolls back
   */
  public AppendResult append(
      Connection connection, String streamId, long expectedVersion, List<NewEvent> events)
      throws SQLException {
    String category = categoryOf(streamId);
    if (expectedVersion < 0) {
      throw new IllegalArgumentException(
          "expected version " + expectedVersion + " of " + streamId + " is negative");
    }
    if (events.isEmpty()) {
      throw new IllegalArgumentException("an append to " + streamId + " needs an event");
    }
    if (connection.getAutoCommit()) {
      throw new IllegalStateException(
          "append needs a connection in a transaction (auto-commit off)");
    }
    List<EventTypes.Encoded> encoded = events.stream().map(e -> types.encode(e.payload())).toList();
    long actual = streamVersion(connection, streamId);
    if (actual != expectedVersion) {
      throw new WrongExpectedVersionException(streamId, expectedVersion, actual);
    }
    // A racing append to the same stream holds the same (stream, version) keys: the insert waits
    // for its commit and then fails; the savepoint takes back whatever this append inserted.
    Savepoint before = connection.setSavepoint();
    try (PreparedStatement s =
        connection.prepareStatement(
            "insert into es_events (event_id, stream_id, category, stream_version, event_type,"
                + " schema_version, payload, command_id, causation_id, correlation_id, trace_id,"
                + " actor) values (?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?, ?, ?)")) {
      for (int i = 0; i < events.size(); i++) {
        NewEvent event = events.get(i);
        EventTypes.Encoded payload = encoded.get(i);
        s.setObject(1, event.eventId());
        s.setString(2, streamId);
        s.setString(3, category);
        s.setLong(4, expectedVersion + 1 + i);
        s.setString(5, payload.type());
        s.setInt(6, payload.schemaVersion());
        s.setString(7, payload.json());
        s.setString(8, event.commandId().orElse(null));
        s.setString(9, event.causationId().orElse(null));
        s.setString(10, event.correlationId());
        s.setString(11, event.traceId());
        s.setString(12, event.actor());
        s.addBatch();
      }
      s.executeBatch();
    } catch (SQLException e) {
      connection.rollback(before);
      if (isUniqueViolation(e)) {
        long now = streamVersion(connection, streamId);
        if (now != expectedVersion) {
          throw new WrongExpectedVersionException(streamId, expectedVersion, now);
        }
      }
      throw e;
    }
    connection.releaseSavepoint(before);
    try (PreparedStatement s = connection.prepareStatement("select pg_notify(?, '')")) {
      s.setString(1, APPENDED_CHANNEL);
      s.execute();
    }
    return new AppendResult(
        streamId, expectedVersion + events.size(), events.stream().map(NewEvent::eventId).toList());
  }

  /** The stream's version: its last event's, 0 if it has none. */
  public long streamVersion(String streamId) {
    checkStreamId(streamId);
    return database.transaction("read the version of " + streamId, c -> streamVersion(c, streamId));
  }

  /** As {@link #streamVersion(String)}, on the caller's connection. */
  public long streamVersion(Connection connection, String streamId) throws SQLException {
    try (PreparedStatement s =
        connection.prepareStatement(
            "select coalesce(max(stream_version), 0) from es_events where stream_id = ?")) {
      s.setString(1, streamId);
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  /**
   * A stream's events from version {@code fromVersion} on, in order, sequenced or not yet.
   *
   * @throws UnreadableEventException if an event's type or schema version is unknown here
   */
  public List<RecordedEvent> readStream(String streamId, long fromVersion) {
    checkStreamId(streamId);
    return database.transaction(
        "read " + streamId + " from version " + fromVersion,
        c -> {
          try (PreparedStatement s =
              c.prepareStatement(
                  "select "
                      + EventRows.COLUMNS
                      + " from es_events where stream_id = ? and stream_version >= ?"
                      + " order by stream_version")) {
            s.setString(1, streamId);
            s.setLong(2, fromVersion);
            return readAll(s);
          }
        });
  }

  /**
   * Up to {@code max} events after position {@code afterPosition}, in global order. Only numbered
   * events are read, and a position once read is never followed by an event numbered below it.
   *
   * @throws UnreadableEventException if an event's type or schema version is unknown here
   */
  public List<RecordedEvent> readAll(long afterPosition, int max) {
    if (max < 1) {
      throw new IllegalArgumentException("max must be positive, not " + max);
    }
    return database.transaction(
        "read events after position " + afterPosition,
        c -> {
          try (PreparedStatement s =
              c.prepareStatement(
                  "select "
                      + EventRows.COLUMNS
                      + " from es_events where position > ? order by position limit ?")) {
            s.setLong(1, afterPosition);
            s.setInt(2, max);
            return readAll(s);
          }
        });
  }

  /** The last position given: every event up to it is readable with {@link #readAll}. */
  public long head() {
    return database.transaction(
        "read the event store's head",
        c -> {
          try (Statement s = c.createStatement();
              ResultSet rs = s.executeQuery("select position from es_head")) {
            rs.next();
            return rs.getLong(1);
          }
        });
  }

  /** Keeps {@code snapshot} as its stream's latest, unless a later one is kept already. */
  public void saveSnapshot(Snapshot snapshot) {
    database.transaction(
        "save a snapshot of " + snapshot.streamId(),
        c -> {
          saveSnapshot(c, snapshot);
          return null;
        });
  }

  /** As {@link #saveSnapshot(Snapshot)}, in the caller's transaction. */
  public void saveSnapshot(Connection connection, Snapshot snapshot) throws SQLException {
    checkStreamId(snapshot.streamId());
    try (PreparedStatement s =
        connection.prepareStatement(
            "insert into es_snapshots (stream_id, stream_version, state_type, schema_version,"
                + " payload) values (?, ?, ?, ?, ?::jsonb)"
                + " on conflict (stream_id) do update set stream_version = excluded.stream_version,"
                + " state_type = excluded.state_type, schema_version = excluded.schema_version,"
                + " payload = excluded.payload, taken_at = clock_timestamp()"
                + " where es_snapshots.stream_version <= excluded.stream_version")) {
      s.setString(1, snapshot.streamId());
      s.setLong(2, snapshot.streamVersion());
      s.setString(3, snapshot.stateType());
      s.setInt(4, snapshot.schemaVersion());
      s.setString(5, snapshot.json());
      s.executeUpdate();
    }
  }

  /** The stream's latest snapshot, if one was taken. */
  public Optional<Snapshot> latestSnapshot(String streamId) {
    checkStreamId(streamId);
    return database.transaction(
        "read the snapshot of " + streamId,
        c -> {
          try (PreparedStatement s =
              c.prepareStatement(
                  "select stream_version, state_type, schema_version, payload::text"
                      + " from es_snapshots where stream_id = ?")) {
            s.setString(1, streamId);
            try (ResultSet rs = s.executeQuery()) {
              return rs.next()
                  ? Optional.of(
                      new Snapshot(
                          streamId, rs.getLong(1), rs.getString(2), rs.getInt(3), rs.getString(4)))
                  : Optional.empty();
            }
          }
        });
  }

  /** Stops the sequencer; the database stays the caller's. */
  @Override
  public void close() {
    sequencer.close();
  }

  private List<RecordedEvent> readAll(PreparedStatement s) throws SQLException {
    List<RecordedEvent> events = new ArrayList<>();
    try (ResultSet rs = s.executeQuery()) {
      while (rs.next()) {
        events.add(EventRows.read(rs, types));
      }
    }
    return events;
  }

  private static void checkStreamId(String streamId) {
    if (streamId == null || streamId.isBlank()) {
      throw new IllegalArgumentException("a stream id must not be blank");
    }
    if (streamId.length() > MAX_STREAM_ID_LENGTH) {
      throw new IllegalArgumentException(
          "stream id '"
              + streamId.substring(0, 40)
              + "...' has "
              + streamId.length()
              + " characters; at most "
              + MAX_STREAM_ID_LENGTH);
    }
    if (streamId.codePoints().anyMatch(Character::isWhitespace)) {
      throw new IllegalArgumentException("stream id '" + streamId + "' contains whitespace");
    }
    if (streamId.startsWith("-")) {
      throw new IllegalArgumentException(
          "stream id '" + streamId + "' starts with '-': its category would be empty");
    }
  }

  private static boolean isUniqueViolation(SQLException e) {
    for (SQLException next = e; next != null; next = next.getNextException()) {
      if (UNIQUE_VIOLATION.equals(next.getSQLState())) {
        return true;
      }
    }
    return false;
  }

  @Override
  public String toString() {
    return "EventStore[" + database.describe() + ", " + types + "]";
  }
}
