package dev.firemesh.chassis.events.subscription;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.firemesh.chassis.events.AppendResult;
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
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An owner whose partition was taken over while it was in the middle of a batch (paused, or
 * partitioned away) writes nothing: neither its read model changes nor the checkpoint.
 */
class FencingTest {
  private static final String NAME = "fx-read-model";

  @TempDir static Path dataDir;
  static Database database;
  static EventStore store;

  @BeforeAll
  static void start() {
    database = ChassisStore.embedded(dataDir);
    store = EventStore.open(database, TestEvents.TYPES);
    TestEvents.createReadModel(
        database, "create table fx_applied (event_id uuid primary key, n int not null)");
  }

  @AfterAll
  static void stop() {
    store.close();
    database.close();
  }

  @Test
  void aStaleOwnerCannotWriteItsReadModelOrMoveTheCheckpoint() throws Exception {
    CountDownLatch paused = new CountDownLatch(1);
    CountDownLatch resume = new CountDownLatch(1);
    AtomicBoolean pauseOnce = new AtomicBoolean(true);
    Projection projection =
        (tx, e) -> {
          apply(tx, e);
          if (e.payload(Placed.class).seq() == 3 && pauseOnce.getAndSet(false)) {
            paused.countDown();
            waitFor(resume);
          }
        };
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (Subscriptions owner =
        Subscriptions.start(
            database,
            TestEvents.TYPES,
            "owner",
            registry,
            List.of(
                Subscription.projection(NAME, projection)
                    .partitions(1)
                    .lease(Duration.ofSeconds(1))
                    .build()))) {
      AppendResult appended =
          TestEvents.append(
              store,
              "fx-1",
              0,
              LongStream.rangeClosed(1, 10).mapToObj(i -> new Placed("o1", i, false)).toArray());
      assertThat(paused.await(20, TimeUnit.SECONDS)).isTrue();

      // The owner is stuck inside its batch (events 1 to 3 written, uncommitted) while another
      // instance takes the partition over: a newer token, a lease of its own.
      execute(
          "update es_subscription_partitions set owner = 'intruder', token = token + 1,"
              + " lease_until = clock_timestamp() + interval '1 hour' where subscription = '"
              + NAME
              + "'");
      resume.countDown();
      // The intruder writes the first event too: this waits for the stale batch to end, and
      // would count 2 had it committed.
      UUID first = appended.eventIds().getFirst();
      database.transaction("write as the new owner", c -> apply(c, first));

      assertThat(applied()).containsExactly(Map.entry(first, 1));
      PartitionStatus partition = owner.status().getFirst().partitions().getFirst();
      assertThat(partition.owner()).contains("intruder");
      assertThat(partition.position()).isZero();
      assertThat(
              registry
                  .get("firemesh.chassis.subscription.events")
                  .tag("outcome", "handled")
                  .counter()
                  .count())
          .isZero();

      // The intruder goes away without moving the checkpoint: the owner claims the partition
      // again (a newer token still) and handles every event once.
      execute("delete from fx_applied");
      execute(
          "update es_subscription_partitions set owner = null, lease_until = null"
              + " where subscription = '"
              + NAME
              + "'");
      await().atMost(Duration.ofSeconds(20)).until(() -> applied().size() == 10);
      assertThat(applied().values()).containsOnly(1);
      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(
              () -> {
                PartitionStatus p = owner.status().getFirst().partitions().getFirst();
                assertThat(p.owner()).contains("owner");
                assertThat(p.token()).isEqualTo(3);
                assertThat(p.position()).isEqualTo(store.head());
              });
    }
  }

  private static void apply(Connection tx, RecordedEvent e) throws SQLException {
    apply(tx, e.metadata().eventId());
  }

  private static Void apply(Connection tx, UUID eventId) throws SQLException {
    try (PreparedStatement s =
        tx.prepareStatement(
            "insert into fx_applied (event_id, n) values (?, 1)"
                + " on conflict (event_id) do update set n = fx_applied.n + 1")) {
      s.setObject(1, eventId);
      s.executeUpdate();
    }
    return null;
  }

  private static void waitFor(CountDownLatch latch) {
    try {
      if (!latch.await(30, TimeUnit.SECONDS)) {
        throw new IllegalStateException("never resumed");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static Map<UUID, Integer> applied() {
    return database.transaction(
        "read the read model",
        c -> {
          Map<UUID, Integer> applied = new java.util.HashMap<>();
          try (Statement s = c.createStatement();
              ResultSet rs = s.executeQuery("select event_id, n from fx_applied")) {
            while (rs.next()) {
              applied.put(rs.getObject(1, UUID.class), rs.getInt(2));
            }
          }
          return applied;
        });
  }

  private static void execute(String sql) {
    database.transaction(
        sql,
        c -> {
          try (Statement s = c.createStatement()) {
            s.execute(sql);
          }
          return null;
        });
  }
}
