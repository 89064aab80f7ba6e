package dev.firemesh.bench.events;

import dev.firemesh.bench.LatencySummary;
import dev.firemesh.chassis.events.RecordedEvent;
import dev.firemesh.chassis.events.subscription.Projection;
import dev.firemesh.store.Database;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * A projection of the append runs' events (events per stream, in {@value #READ_MODEL}) that times
 * each event from its append's commit to its handler having applied it: what a read model trails
 * the store by, sequencer and subscription included. Both instants are {@link System#nanoTime} in
 * this JVM, recorded by the appender when its commit returned and by the handler after its upsert;
 * the read model is visible to others when the handler's batch commits, just after.
 */
final class ProjectionLag implements Projection {
  static final String READ_MODEL = "firemesh_bench_stream_events";

  private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

  private final Map<UUID, Long> committed = new ConcurrentHashMap<>();
  private final Map<UUID, Long> applied = new ConcurrentHashMap<>();

  /** Creates the read model's table if the store has none. */
  static void createReadModel(Database database) {
    database.transaction(
        "create the bench's read model",
        c -> {
          try (PreparedStatement s =
              c.prepareStatement(
                  "create table if not exists "
                      + READ_MODEL
                      + " (stream_id text primary key, events bigint not null)")) {
            s.execute();
          }
          return null;
        });
  }

  @Override
  public void handle(Connection tx, RecordedEvent event) throws SQLException {
    try (PreparedStatement s =
        tx.prepareStatement(
            "insert into "
                + READ_MODEL
                + " (stream_id, events) values (?, 1)"
                + " on conflict (stream_id) do update set events = "
                + READ_MODEL
                + ".events + 1")) {
      s.setString(1, event.streamId());
      s.executeUpdate();
    }
    applied.put(event.metadata().eventId(), System.nanoTime());
  }

  /** The append of {@code eventId}, in a recorded window, committed at {@code nanos}. */
  void committed(UUID eventId, long nanos) {
    committed.put(eventId, nanos);
  }

  /**
   * Waits up to {@code timeout} for every event committed in {@code appends}' window to be applied,
   * then tallies their lags and forgets both sides, for the next run. An event not applied by then
   * is an error; one applied later than {@code drain} after the last append ended is counted as
   * missed (and in the count): the projection did not keep up.
   */
  Tally settle(Tally appends, Duration drain, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!applied.keySet().containsAll(committed.keySet()) && System.nanoTime() < deadline) {
      TimeUnit.NANOSECONDS.sleep(POLL_NANOS);
    }
    long caughtUpBy = appends.lastDoneNanos() + drain.toNanos();
    Histogram lag = new Histogram(3);
    long lastApplied = appends.windowStartNanos();
    long missing = 0;
    long late = 0;
    for (Map.Entry<UUID, Long> commit : committed.entrySet()) {
      Long at = applied.get(commit.getKey());
      if (at == null) {
        missing++;
        continue;
      }
      // the handler can, rarely, run before the appender has noted its commit's return
      lag.recordValue(TimeUnit.NANOSECONDS.toMicros(Math.max(0, at - commit.getValue())));
      lastApplied = Math.max(lastApplied, at);
      if (at > caughtUpBy) {
        late++;
      }
    }
    Tally tally =
        new Tally(
            committed.size(),
            lag.getTotalCount(),
            missing,
            0,
            late,
            appends.windowStartNanos(),
            lastApplied,
            LatencySummary.of(lag),
            missing == 0
                ? Optional.empty()
                : Optional.of(
                    missing
                        + " committed events were not applied within "
                        + timeout.toSeconds()
                        + " s"));
    committed.clear();
    applied.clear();
    return tally;
  }
}
