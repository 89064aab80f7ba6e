package dev.firemesh.chassis.events.subscription;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.firemesh.chassis.events.AppendResult;
import dev.firemesh.chassis.events.EventStore;
import dev.firemesh.chassis.events.EventTypes;
import dev.firemesh.chassis.events.RecordedEvent;
import dev.firemesh.chassis.events.subscription.TestEvents.Noted;
import dev.firemesh.chassis.events.subscription.TestEvents.Placed;
import dev.firemesh.chassis.store.ChassisStore;
import dev.firemesh.store.Database;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A handler that keeps failing on one event parks it after its last attempt and goes on with the
 * rest, in the same stream too; parked events are counted, retried and dropped.
 */
class DeadLettersTest {
  private static final String PROJECTION = "dl-read-model";
  private static final String PROCESS = "dl-process";

  @TempDir static Path dataDir;
  static Database database;
  static EventStore store;

  private final AtomicBoolean poisonFails = new AtomicBoolean(true);
  private final Set<UUID> acted = ConcurrentHashMap.newKeySet();

  @BeforeAll
  static void start() {
    database = ChassisStore.embedded(dataDir);
    store = EventStore.open(database, TestEvents.TYPES);
    TestEvents.createReadModel(
        database, "create table dl_applied (event_id uuid primary key, seq bigint not null)");
  }

  @AfterAll
  static void stop() {
    store.close();
    database.close();
  }

  @Test
  void aFailingEventIsParkedAndTheRestGoesOn() {
    // This instance knows Placed only: the Noted event is unreadable here, and parked too.
    EventTypes placedOnly = EventTypes.builder().type("Placed", Placed.class).build();
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    try (Subscriptions subscriptions =
        Subscriptions.start(
            database,
            placedOnly,
            "only",
            registry,
            List.of(
                Subscription.projection(PROJECTION, (tx, e) -> project(tx, e))
                    .categories("dl")
                    .partitions(2)
                    .maxAttempts(3)
                    .backoff(Duration.ofMillis(10), Duration.ofMillis(40))
                    .lease(Duration.ofMillis(900))
                    .build(),
                Subscription.processManager(PROCESS, this::act)
                    .eventTypes(Placed.class)
                    .maxAttempts(2)
                    .backoff(Duration.ofMillis(10), Duration.ofMillis(40))
                    .lease(Duration.ofMillis(900))
                    .build()))) {
      AppendResult first = append("dl-1", 3);
      AppendResult second = append("dl-2", 2);
      AppendResult unreadable = TestEvents.append(store, "dl-3", 0, new Noted("unknown here"));
      UUID poison1 = first.eventIds().get(2);
      UUID poison2 = second.eventIds().get(1);
      UUID noted = unreadable.eventIds().getFirst();

      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> subscriptions.deadLetters(PROJECTION).size() == 3 && applied().size() == 8);
      assertThat(subscriptions.deadLetters(PROJECTION))
          .extracting(DeadLetter::eventId)
          .containsExactlyInAnyOrder(poison1, poison2, noted);
      DeadLetter parked = subscriptions.deadLetters(PROJECTION).getFirst();
      assertThat(parked.eventId()).isEqualTo(poison1);
      assertThat(parked.attempts()).isEqualTo(3);
      assertThat(parked.streamId()).isEqualTo("dl-1");
      assertThat(parked.eventType()).isEqualTo("Placed");
      assertThat(parked.lastError()).contains("poisoned event 3 of dl-1");
      assertThat(subscriptions.deadLetters(PROJECTION).getLast().lastError())
          .contains("unknown event type Noted");
      // Events after the parked one in its stream went on, in order.
      assertThat(applied()).contains(first.eventIds().get(3), first.eventIds().get(4));
      assertThat(events(registry, PROJECTION, "handled")).isEqualTo(8);
      assertThat(events(registry, PROJECTION, "failed")).isEqualTo(9);
      assertThat(events(registry, PROJECTION, "parked")).isEqualTo(3);
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> deadLetterGauge(registry, PROJECTION) == 3);

      // The process manager, at least once, parked the same two poisoned events.
      await().atMost(Duration.ofSeconds(20)).until(() -> acted.size() == 8);
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> subscriptions.deadLetters(PROCESS).size() == 2);
      assertThat(subscriptions.deadLetters(PROCESS))
          .extracting(DeadLetter::eventId, DeadLetter::attempts)
          .containsExactlyInAnyOrder(
              org.assertj.core.groups.Tuple.tuple(poison1, 2),
              org.assertj.core.groups.Tuple.tuple(poison2, 2));

      // Retried while the cause remains: still parked, one attempt more.
      assertThat(subscriptions.retry(PROJECTION, poison1))
          .isInstanceOfSatisfying(
              RetryOutcome.Failed.class,
              failed -> {
                assertThat(failed.attempts()).isEqualTo(4);
                assertThat(failed.error()).contains("poisoned");
              });
      assertThat(subscriptions.deadLetters(PROJECTION).getFirst().attempts()).isEqualTo(4);

      // Fixed: a retry applies it and forgets the dead letter.
      poisonFails.set(false);
      assertThat(subscriptions.retry(PROJECTION, poison1)).isEqualTo(new RetryOutcome.Handled());
      assertThat(applied()).contains(poison1);
      assertThat(subscriptions.retry(PROCESS, poison2)).isEqualTo(new RetryOutcome.Handled());
      assertThat(acted).contains(poison2);

      assertThat(subscriptions.drop(PROJECTION, poison2)).isTrue();
      assertThat(subscriptions.drop(PROJECTION, poison2)).isFalse();
      assertThat(subscriptions.retry(PROJECTION, poison2)).isEqualTo(new RetryOutcome.NotFound());
      assertThat(subscriptions.deadLetters(PROJECTION))
          .extracting(DeadLetter::eventId)
          .containsExactly(noted);
      assertThat(subscriptions.deadLetters(PROCESS))
          .extracting(DeadLetter::eventId)
          .containsExactly(poison1);
      assertThat(events(registry, PROJECTION, "handled")).isEqualTo(9);
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> deadLetterGauge(registry, PROJECTION) == 1);
      SubscriptionStatus status =
          subscriptions.status().stream()
              .filter(s -> s.name().equals(PROJECTION))
              .findFirst()
              .orElseThrow();
      assertThat(status.deadLetters()).isEqualTo(1);
      assertThat(status.lag()).isZero();
      assertThat(registry.scrape())
          .contains(
              "firemesh_chassis_subscription_dead_letters{subscription=\"dl-read-model\"} 1.0",
              "firemesh_chassis_subscription_events_total{outcome=\"parked\",subscription=\"dl-read-model\"} 3.0",
              "firemesh_chassis_subscription_lag_events{subscription=\"dl-read-model\"} 0.0",
              "firemesh_chassis_subscription_position{subscription=\"dl-read-model\"} "
                  + store.head()
                  + ".0");
    }
  }

  private AppendResult append(String stream, int poisonAt) {
    return TestEvents.append(
        store,
        stream,
        0,
        LongStream.rangeClosed(1, 5).mapToObj(i -> new Placed(stream, i, i == poisonAt)).toArray());
  }

  private void project(java.sql.Connection tx, RecordedEvent e) throws SQLException {
    Placed placed = e.payload(Placed.class);
    try (PreparedStatement s =
        tx.prepareStatement("insert into dl_applied (event_id, seq) values (?, ?)")) {
      s.setObject(1, e.metadata().eventId());
      s.setLong(2, placed.seq());
      s.executeUpdate();
    }
    if (placed.poison() && poisonFails.get()) {
      // After a write: the savepoint must undo it.
      throw new SQLException("poisoned event " + placed.seq() + " of " + e.streamId());
    }
  }

  private void act(RecordedEvent e) {
    if (e.payload(Placed.class).poison() && poisonFails.get()) {
      throw new IllegalStateException("poisoned");
    }
    acted.add(e.metadata().eventId());
  }

  private static Set<UUID> applied() {
    return database.transaction(
        "read the read model",
        c -> {
          Set<UUID> ids = new HashSet<>();
          try (Statement s = c.createStatement();
              ResultSet rs = s.executeQuery("select event_id from dl_applied")) {
            while (rs.next()) {
              ids.add(rs.getObject(1, UUID.class));
            }
          }
          return ids;
        });
  }

  private static double events(MeterRegistry registry, String subscription, String outcome) {
    return registry
        .get("firemesh.chassis.subscription.events")
        .tag("subscription", subscription)
        .tag("outcome", outcome)
        .counter()
        .count();
  }

  private static double deadLetterGauge(MeterRegistry registry, String subscription) {
    return registry
        .get("firemesh.chassis.subscription.dead.letters")
        .tag("subscription", subscription)
        .gauge()
        .value();
  }
}
