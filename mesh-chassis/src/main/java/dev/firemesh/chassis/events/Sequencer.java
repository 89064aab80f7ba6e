package dev.firemesh.chassis.events;

import dev.firemesh.chassis.store.StoreLoop;
import dev.firemesh.store.Database;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Gives committed events their global positions, after commit: each pass is one transaction that
 * takes a transaction-scoped advisory lock (so the passes of every instance sharing the store run
 * one after another), takes the committed events still without a position in insert order, numbers
 * them from {@code es_head + 1} without holes, moves {@code es_head} and notifies {@code
 * es_sequenced}. A reader that has read position N has therefore seen every event numbered up to N,
 * and every event numbered later gets a position above N: readers never skip one, and appenders
 * never wait for each other.
 *
 * <p>Runs on a virtual thread, woken by {@code es_appended} and every 250 ms.
 */
public final class Sequencer implements AutoCloseable {
  private static final long LOCK = 0x66_6d_65_76_73_65_71_6eL; // "fmevseqn"
  private static final int BATCH = 1000;
  private static final Duration PERIOD = Duration.ofMillis(250);

  private final Database database;
  private final StoreLoop loop;

  private Sequencer(Database database) {
    this.database = database;
    this.loop =
        StoreLoop.start(
            "event-sequencer",
            database,
            EventStore.APPENDED_CHANNEL,
            PERIOD,
            Duration.ofSeconds(5),
            () -> sequence(database));
  }

  /**
   * Starts sequencing the store in {@code database}.
   *
   * @throws dev.firemesh.store.StoreException if it cannot listen for appends
   */
  public static Sequencer start(Database database) {
    return new Sequencer(database);
  }

  /**
   * Numbers every event committed and not yet numbered, now, on the caller's thread.
   *
   * @return the head position afterwards
   * @throws dev.firemesh.store.StoreException if the store cannot be reached
   */
  public long sequenceNow() {
    return sequence(database);
  }

  /** As {@link #sequenceNow}, without a running sequencer: one pass over {@code database}. */
  public static long sequence(Database database) {
    Pass pass;
    do {
      pass = database.transaction("sequence appended events", Sequencer::pass);
    } while (pass.full());
    return pass.head();
  }

  /** What a pass did: the head afterwards, and whether it numbered a full batch (more may wait). */
  private record Pass(long head, boolean full) {}

  /** One numbering transaction. */
  private static Pass pass(Connection c) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("select pg_advisory_xact_lock(?)")) {
      s.setLong(1, LOCK);
      s.execute();
    }
    // Each statement below sees what committed before it started, so after the lock: every
    // earlier pass, and every append committed by now.
    long head;
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("select position from es_head")) {
      rs.next();
      head = rs.getLong(1);
    }
    List<UUID> pending = new ArrayList<>();
    try (PreparedStatement s =
        c.prepareStatement(
            "select event_id from es_events where position is null order by staged limit ?"
                + " for update")) {
      s.setInt(1, BATCH);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          pending.add(rs.getObject(1, UUID.class));
        }
      }
    }
    if (pending.isEmpty()) {
      return new Pass(head, false);
    }
    Long[] positions = new Long[pending.size()];
    for (int i = 0; i < positions.length; i++) {
      positions[i] = head + 1 + i;
    }
    Array ids = c.createArrayOf("uuid", pending.toArray());
    Array numbers = c.createArrayOf("bigint", positions);
    try (PreparedStatement s =
        c.prepareStatement(
            "update es_events e set position = n.position"
                + " from unnest(?::uuid[], ?::bigint[]) as n(event_id, position)"
                + " where e.event_id = n.event_id")) {
      s.setArray(1, ids);
      s.setArray(2, numbers);
      s.executeUpdate();
    }
    long newHead = head + pending.size();
    try (PreparedStatement s = c.prepareStatement("update es_head set position = ?")) {
      s.setLong(1, newHead);
      s.executeUpdate();
    }
    try (PreparedStatement s = c.prepareStatement("select pg_notify(?, ?)")) {
      s.setString(1, EventStore.SEQUENCED_CHANNEL);
      s.setString(2, Long.toString(newHead));
      s.execute();
    }
    return new Pass(newHead, pending.size() == BATCH);
  }

  @Override
  public void close() {
    loop.close();
  }
}
