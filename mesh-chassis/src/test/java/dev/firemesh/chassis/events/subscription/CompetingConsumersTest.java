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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Instances of one service share a subscription's partitions: every event reaches the read model
 * exactly once, a stream's events in order, and no stream is handled by two instances at once, also
 * while instances come and go.
 */
class CompetingConsumersTest {
  @TempDir static Path dataDir;
  static Database database;
  static EventStore store;

  private static final int STREAMS = 24;
  private static final int PER_STREAM = 25;

  private final Set<String> inFlight = ConcurrentHashMap.newKeySet();
  private final AtomicInteger overlaps = new AtomicInteger();

  @BeforeAll
  static void start() {
    database = ChassisStore.embedded(dataDir);
    store = EventStore.open(database, TestEvents.TYPES);
    TestEvents.createReadModel(
        database,
        "create table cc_applied (event_id uuid primary key, n int not null,"
            + " instance text not null)");
    TestEvents.createReadModel(
        database, "create table cc_streams (stream_id text primary key, seq bigint not null)");
  }

  @AfterAll
  static void stop() {
    store.close();
    database.close();
  }

  @Test
  void partitioningIsTheSameInJavaAndInSql() {
    Random random = new Random(7);
    List<String> ids = new ArrayList<>(List.of("", "order-1", "ordre-é-ü-漢字", "a".repeat(500)));
    for (int i = 0; i < 300; i++) {
      ids.add("s-" + Long.toHexString(random.nextLong()) + "-" + i);
    }
    for (int partitions : new int[] {1, 3, 8, 1024}) {
      Map<String, Integer> sql =
          database.transaction(
              "partition in SQL",
              c -> {
                Map<String, Integer> result = new HashMap<>();
                try (PreparedStatement s =
                    c.prepareStatement(
                        "select stream_id, " + Partitioning.SQL + " from unnest(?) as stream_id")) {
                  s.setInt(1, partitions);
                  s.setArray(2, c.createArrayOf("text", ids.toArray()));
                  try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                      result.put(rs.getString(1), rs.getInt(2));
                    }
                  }
                }
                return result;
              });
      for (String id : ids) {
        assertThat(Partitioning.of(id, partitions)).as(id).isEqualTo(sql.get(id));
      }
      if (partitions == 8) {
        assertThat(Set.copyOf(sql.values())).hasSize(8);
      }
    }
  }

  @Test
  void refusesSubscriptionsThatCannotRunAsDeclared() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    ProcessManager nothing = e -> {};
    assertThatThrownBy(
            () ->
                Subscriptions.start(
                    database,
                    TestEvents.TYPES,
                    "x",
                    registry,
                    List.of(
                        Subscription.processManager("twice", nothing).build(),
                        Subscription.processManager("twice", nothing).build())))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("two subscriptions are named twice");
    assertThatThrownBy(
            () ->
                Subscriptions.start(
                    database,
                    TestEvents.TYPES,
                    "x",
                    registry,
                    List.of(
                        Subscription.processManager("typo", nothing).eventTypes("Plcaed").build())))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("event type Plcaed");
    Subscriptions.start(
            database,
            TestEvents.TYPES,
            "x",
            registry,
            List.of(Subscription.processManager("resized", nothing).partitions(4).build()))
        .close();
    assertThatThrownBy(
            () ->
                Subscriptions.start(
                    database,
                    TestEvents.TYPES,
                    "x",
                    registry,
                    List.of(Subscription.processManager("resized", nothing).build())))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("declares 8 partitions but the store has 4");
    assertThat(registry.getMeters()).isEmpty();
  }

  @Test
  void instancesShareThePartitionsAndApplyEveryEventOnce() throws Exception {
    // A registry per instance, as each would have in its own JVM.
    Map<String, SimpleMeterRegistry> registries = new HashMap<>();
    List<Subscriptions> running = new ArrayList<>();
    try {
      running.add(instance("a", registries));
      running.add(instance("b", registries));
      await().atMost(Duration.ofSeconds(20)).until(() -> owners().equals(Map.of("a", 4L, "b", 4L)));

      int half = PER_STREAM / 2;
      List<Thread> writers = write(1, half);
      // An instance leaves while events flow (its partitions go to the other at once), and a
      // third one joins: the shares move while batches are in flight.
      await().atMost(Duration.ofSeconds(30)).until(() -> applied() >= STREAMS * half / 3);
      running.removeFirst().close();
      running.add(instance("c", registries));
      for (Thread writer : writers) {
        writer.join();
      }
      await().atMost(Duration.ofSeconds(20)).until(() -> owners().equals(Map.of("b", 4L, "c", 4L)));
      for (Thread writer : write(half + 1, PER_STREAM)) {
        writer.join();
      }
      await().atMost(Duration.ofSeconds(60)).until(() -> applied() == STREAMS * PER_STREAM);

      assertThat(overlaps).hasValue(0);
      List<Long> readModel =
          database.transaction(
              "read the read model",
              c -> {
                try (Statement s = c.createStatement();
                    ResultSet rs =
                        s.executeQuery(
                            "select count(*) filter (where n <> 1),"
                                + " count(distinct instance) from cc_applied")) {
                  rs.next();
                  return List.of(rs.getLong(1), rs.getLong(2));
                }
              });
      assertThat(readModel)
          .as("events applied more than once, instances that applied events")
          .containsExactly(0L, 3L);
      assertThat(streamsAt())
          .hasSize(STREAMS)
          .allSatisfy((s, seq) -> assertThat(seq).isEqualTo(25));
      for (String instance : List.of("b", "c")) {
        assertThat(events(registries.get(instance), "handled"))
            .as("events %s counted as handled", instance)
            .isEqualTo(appliedBy(instance));
        assertThat(events(registries.get(instance), "failed")).isZero();
      }
      await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () ->
                  running.getLast().status().getFirst().lag() == 0
                      && running.getLast().status().getFirst().position() == STREAMS * PER_STREAM);
      assertThat(owners()).isEqualTo(Map.of("b", 4L, "c", 4L));
    } finally {
      running.forEach(Subscriptions::close);
    }
  }

  /** Appends events {@code from} to {@code to} of every stream, from three writers at once. */
  private static List<Thread> write(int from, int to) {
    List<Thread> writers = new ArrayList<>();
    for (int w = 0; w < 3; w++) {
      int writer = w;
      writers.add(
          Thread.ofVirtual()
              .start(
                  () -> {
                    for (int seq = from; seq <= to; seq++) {
                      for (int s = writer; s < STREAMS; s += 3) {
                        TestEvents.append(
                            store, "cc-" + s, seq - 1, new Placed("o" + s, seq, false));
                      }
                    }
                  }));
    }
    return writers;
  }

  private Subscriptions instance(String id, Map<String, SimpleMeterRegistry> registries) {
    return Subscriptions.start(
        database,
        TestEvents.TYPES,
        id,
        registries.computeIfAbsent(id, i -> new SimpleMeterRegistry()),
        List.of(
            Subscription.projection("cc-read-model", (tx, e) -> apply(tx, e, id))
                .eventTypes(Placed.class)
                .categories("cc")
                .batchSize(20)
                .lease(Duration.ofSeconds(2))
                .build()));
  }

  private void apply(Connection tx, RecordedEvent e, String instance) throws SQLException {
    if (!inFlight.add(e.streamId())) {
      overlaps.incrementAndGet();
    }
    try {
      Placed placed = e.payload(Placed.class);
      try (PreparedStatement s =
          tx.prepareStatement(
              placed.seq() == 1
                  ? "insert into cc_streams (seq, stream_id) values (?, ?)"
                  : "update cc_streams set seq = ? where stream_id = ? and seq = ? - 1")) {
        s.setLong(1, placed.seq());
        s.setString(2, e.streamId());
        if (placed.seq() > 1) {
          s.setLong(3, placed.seq());
        }
        if (s.executeUpdate() != 1) {
          throw new SQLException(e.streamId() + " event " + placed.seq() + " out of order");
        }
      }
      try (PreparedStatement s =
          tx.prepareStatement(
              "insert into cc_applied (event_id, n, instance) values (?, 1, ?)"
                  + " on conflict (event_id) do update set n = cc_applied.n + 1")) {
        s.setObject(1, e.metadata().eventId());
        s.setString(2, instance);
        s.executeUpdate();
      }
    } finally {
      inFlight.remove(e.streamId());
    }
  }

  private static double events(SimpleMeterRegistry registry, String outcome) {
    return registry
        .get("firemesh.chassis.subscription.events")
        .tag("outcome", outcome)
        .counter()
        .count();
  }

  private static double appliedBy(String instance) {
    return database.transaction(
        "count events applied by " + instance,
        c -> {
          try (PreparedStatement s =
              c.prepareStatement("select count(*) from cc_applied where instance = ?")) {
            s.setString(1, instance);
            try (ResultSet rs = s.executeQuery()) {
              rs.next();
              return (double) rs.getLong(1);
            }
          }
        });
  }

  private static long applied() {
    return database.transaction(
        "count applied events",
        c -> {
          try (Statement s = c.createStatement();
              ResultSet rs = s.executeQuery("select count(*) from cc_applied")) {
            rs.next();
            return rs.getLong(1);
          }
        });
  }

  private static Map<String, Long> streamsAt() {
    return database.transaction(
        "read the streams",
        c -> {
          Map<String, Long> streams = new HashMap<>();
          try (Statement s = c.createStatement();
              ResultSet rs = s.executeQuery("select stream_id, seq from cc_streams")) {
            while (rs.next()) {
              streams.put(rs.getString(1), rs.getLong(2));
            }
          }
          return streams;
        });
  }

  private static Map<String, Long> owners() {
    Map<String, Long> owners = new HashMap<>();
    for (SubscriptionStatus status : SubscriptionStore.status(database)) {
      if (!status.name().equals("cc-read-model")) {
        continue;
      }
      for (PartitionStatus p : status.partitions()) {
        Optional<String> owner = p.owner();
        owner.ifPresent(o -> owners.merge(o, 1L, Long::sum));
      }
    }
    return owners;
  }
}
