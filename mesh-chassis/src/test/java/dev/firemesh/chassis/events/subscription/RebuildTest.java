package dev.firemesh.chassis.events.subscription;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.firemesh.chassis.events.EventStore;
import dev.firemesh.chassis.events.RecordedEvent;
import dev.firemesh.chassis.events.subscription.TestEvents.Placed;
import dev.firemesh.chassis.store.ChassisStore;
import dev.firemesh.store.Database;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rebuilding a projection replays every event into its emptied read model, once, even while
 * instances are in the middle of batches: their tokens are fenced out.
 */
class RebuildTest {
  private static final String NAME = "rb-read-model";
  private static final int STREAMS = 6;
  private static final int PER_STREAM = 40;

  @TempDir static Path dataDir;
  static Database database;
  static EventStore store;

  private final AtomicBoolean poisonFails = new AtomicBoolean(true);

  @BeforeAll
  static void start() {
    database = ChassisStore.embedded(dataDir);
    store = EventStore.open(database, TestEvents.TYPES);
    TestEvents.createReadModel(
        database, "create table rb_counts (event_id uuid primary key, n int not null)");
  }

  @AfterAll
  static void stop() {
    store.close();
    database.close();
  }

  @Test
  void rebuildReplaysFromTheStartIntoTheResetReadModel() {
    Projection counts =
        new Projection() {
          @Override
          public void handle(Connection tx, RecordedEvent e) throws SQLException {
            if (e.payload(Placed.class).poison() && poisonFails.get()) {
              throw new SQLException("poisoned");
            }
            try (PreparedStatement s =
                tx.prepareStatement(
                    "insert into rb_counts (event_id, n) values (?, 1)"
                        + " on conflict (event_id) do update set n = rb_counts.n + 1")) {
              s.setObject(1, e.metadata().eventId());
              s.executeUpdate();
            }
            pause();
          }

          @Override
          public void reset(Connection tx) throws SQLException {
            try (Statement s = tx.createStatement()) {
              s.execute("truncate rb_counts");
            }
          }
        };
    try (Subscriptions a = instance("a", counts);
        Subscriptions b = instance("b", counts)) {
      for (int s = 0; s < STREAMS; s++) {
        int stream = s;
        TestEvents.append(
            store,
            "rb-" + s,
            0,
            LongStream.rangeClosed(1, PER_STREAM)
                .mapToObj(i -> new Placed("o", i, stream == 0 && i == 7))
                .toArray());
      }
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> counts().size() == STREAMS * PER_STREAM - 1);
      assertThat(a.deadLetters(NAME)).hasSize(1);
      Map<Integer, Long> tokens = tokens(a);

      // Replayed into a read model emptied by the rebuild: the poisoned event, fixed, is taken
      // this time, and its dead letter is gone. Rebuilt again from the other instance while both
      // are in the middle of that replay: their batches are fenced out and roll back.
      poisonFails.set(false);
      a.rebuild(NAME);
      assertThat(a.deadLetters(NAME)).isEmpty();
      await()
          .atMost(Duration.ofSeconds(20))
          .pollInterval(Duration.ofMillis(5))
          .until(() -> counts().size() >= 30);
      b.rebuild(NAME);
      awaitAllCountedOnce();
      assertThat(counts()).hasSize(STREAMS * PER_STREAM);
      tokens(a)
          .forEach(
              (partition, token) -> assertThat(token).isGreaterThan(tokens.get(partition) + 1));

      assertThatThrownBy(() -> a.rebuild("no-such"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("no-such");
    }
  }

  private void awaitAllCountedOnce() {
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                SubscriptionStore.status(database).getFirst().position() == store.head()
                    && counts().size() == store.head());
    assertThat(counts().values()).containsOnly(1);
  }

  private static Subscriptions instance(String id, Projection projection) {
    return Subscriptions.start(
        database,
        TestEvents.TYPES,
        id,
        new SimpleMeterRegistry(),
        List.of(
            Subscription.projection(NAME, projection)
                .partitions(4)
                .batchSize(10)
                .maxAttempts(1)
                .lease(Duration.ofSeconds(1))
                .build()));
  }

  private static void pause() {
    try {
      Thread.sleep(2);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static Map<Integer, Long> tokens(Subscriptions subscriptions) {
    Map<Integer, Long> tokens = new HashMap<>();
    subscriptions
        .status()
        .getFirst()
        .partitions()
        .forEach(p -> tokens.put(p.partition(), p.token()));
    return tokens;
  }

  private static Map<UUID, Integer> counts() {
    return database.transaction(
        "read the read model",
        c -> {
          Map<UUID, Integer> counts = new HashMap<>();
          try (Statement s = c.createStatement();
              ResultSet rs = s.executeQuery("select event_id, n from rb_counts")) {
            while (rs.next()) {
              counts.put(rs.getObject(1, UUID.class), rs.getInt(2));
            }
          }
          return counts;
        });
  }
}
