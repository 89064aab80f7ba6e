package dev.firemesh.chassis.events.subscription;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.firemesh.chassis.events.AppendResult;
import dev.firemesh.chassis.events.EventStore;
import dev.firemesh.chassis.events.RecordedEvent;
import dev.firemesh.chassis.events.subscription.OperatorRequests.Completed;
import dev.firemesh.chassis.events.subscription.OperatorRequests.Outcome;
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
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Requests made through the store by someone who has only the store, as {@code firemesh events}
 * does, are carried out by the instance running the subscription: a rebuild, a retry, a refused
 * rebuild of a process manager; one for a subscription nobody runs stays pending until withdrawn.
 */
class OperatorRequestsTest {
  private static final String PROJECTION = "or-read-model";
  private static final String PROCESS = "or-process";
  private static final String INSTANCE = "or-instance-1";

  @TempDir static Path dataDir;
  static Database database;
  static EventStore store;
  static Subscriptions subscriptions;
  static OperatorRequests requests;

  static final AtomicBoolean poisonFails = new AtomicBoolean(true);
  static final AtomicInteger handled = new AtomicInteger();

  @BeforeAll
  static void start() {
    database = ChassisStore.embedded(dataDir);
    store = EventStore.open(database, TestEvents.TYPES);
    TestEvents.createReadModel(database, "create table or_applied (event_id uuid primary key)");
    subscriptions =
        Subscriptions.start(
            database,
            TestEvents.TYPES,
            INSTANCE,
            new SimpleMeterRegistry(),
            List.of(
                Subscription.projection(PROJECTION, new ReadModel())
                    .eventTypes(Placed.class)
                    .partitions(2)
                    .maxAttempts(2)
                    .backoff(Duration.ofMillis(10), Duration.ofMillis(20))
                    .build(),
                Subscription.processManager(PROCESS, e -> {}).eventTypes(Placed.class).build()));
    requests = OperatorRequests.start(database, subscriptions, INSTANCE);
  }

  @AfterAll
  static void stop() {
    requests.close();
    subscriptions.close();
    store.close();
    database.close();
  }

  /** Counts every event it applies; fails on poisoned events while {@link #poisonFails}. */
  private static final class ReadModel implements Projection {
    @Override
    public void handle(Connection tx, RecordedEvent event) throws SQLException {
      if (event.payload(Placed.class).poison() && poisonFails.get()) {
        throw new SQLException("poisoned " + event.metadata().eventId());
      }
      try (PreparedStatement s = tx.prepareStatement("insert into or_applied values (?)")) {
        s.setObject(1, event.metadata().eventId());
        s.executeUpdate();
      }
      handled.incrementAndGet();
    }

    @Override
    public void reset(Connection tx) throws SQLException {
      try (Statement s = tx.createStatement()) {
        s.execute("truncate or_applied");
      }
    }
  }

  @Test
  void rebuildAndRetryAskedThroughTheStoreAreCarriedOutByTheRunningInstance() {
    AppendResult appended =
        TestEvents.append(
            store,
            "or-1",
            0,
            new Placed("or-1", 1, false),
            new Placed("or-1", 2, true),
            new Placed("or-1", 3, false));
    UUID poisoned = appended.eventIds().get(1);
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                applied() == 2 && SubscriptionStore.deadLetters(database, PROJECTION).size() == 1);
    int before = handled.get();

    // A rebuild: the read model is emptied and every event replayed (the poisoned one parked
    // again).
    long rebuild = OperatorRequests.requestRebuild(database, PROJECTION, "operator:test");
    Completed rebuilt = OperatorRequests.await(database, rebuild, Duration.ofSeconds(20));
    assertThat(rebuilt.outcome()).isEqualTo(Outcome.REBUILT);
    assertThat(rebuilt.outcome().succeeded()).isTrue();
    assertThat(rebuilt.by()).contains(INSTANCE);
    assertThat(rebuilt.error()).isEmpty();
    await()
        .atMost(Duration.ofSeconds(20))
        .until(
            () ->
                handled.get() == before + 2
                    && applied() == 2
                    && SubscriptionStore.deadLetters(database, PROJECTION).size() == 1);

    // A retry while the cause remains: failed, the dead letter stays.
    long stillFailing =
        OperatorRequests.requestRetry(database, PROJECTION, poisoned, "operator:test");
    Completed failed = OperatorRequests.await(database, stillFailing, Duration.ofSeconds(20));
    assertThat(failed.outcome()).isEqualTo(Outcome.FAILED);
    assertThat(failed.error()).hasValueSatisfying(e -> assertThat(e).contains("poisoned"));
    assertThat(SubscriptionStore.deadLetters(database, PROJECTION)).hasSize(1);

    // Fixed: the retry applies it and the dead letter is gone; a second retry finds none.
    poisonFails.set(false);
    long retry = OperatorRequests.requestRetry(database, PROJECTION, poisoned, "operator:test");
    Completed retried = OperatorRequests.await(database, retry, Duration.ofSeconds(20));
    assertThat(retried.outcome()).isEqualTo(Outcome.HANDLED);
    assertThat(retried.eventId()).contains(poisoned);
    assertThat(applied()).isEqualTo(3);
    assertThat(SubscriptionStore.deadLetters(database, PROJECTION)).isEmpty();
    Completed again =
        OperatorRequests.await(
            database,
            OperatorRequests.requestRetry(database, PROJECTION, poisoned, "operator:test"),
            Duration.ofSeconds(20));
    assertThat(again.outcome()).isEqualTo(Outcome.NOT_FOUND);
    assertThat(requestedBy(retry)).isEqualTo("operator:test");
  }

  @Test
  void aProcessManagerIsNotRebuilt() {
    Completed refused =
        OperatorRequests.await(
            database,
            OperatorRequests.requestRebuild(database, PROCESS, "operator:test"),
            Duration.ofSeconds(20));
    assertThat(refused.outcome()).isEqualTo(Outcome.REFUSED);
    assertThat(refused.outcome().succeeded()).isFalse();
    assertThat(refused.error())
        .hasValueSatisfying(e -> assertThat(e).contains("is a process manager"));
  }

  @Test
  void aRequestNoInstanceTakesStaysPendingUntilWithdrawn() {
    long id = OperatorRequests.requestRebuild(database, "nobody-runs-this", "operator:test");
    assertThatThrownBy(() -> OperatorRequests.await(database, id, Duration.ofMillis(2500)))
        .isInstanceOfSatisfying(
            RequestPendingException.class,
            e -> {
              assertThat(e.id()).isEqualTo(id);
              assertThat(e.subscription()).isEqualTo("nobody-runs-this");
            })
        .hasMessage(
            "request "
                + id
                + " (subscription.rebuild of nobody-runs-this) has not ended after 2500 ms: no"
                + " running instance took it (none runs subscription nobody-runs-this), or one is"
                + " still at it");
    assertThat(doneAt(id)).isEmpty();

    assertThat(OperatorRequests.withdraw(database, id, "nobody took it")).isTrue();
    Completed withdrawn = OperatorRequests.await(database, id, Duration.ZERO);
    assertThat(withdrawn.outcome()).isEqualTo(Outcome.WITHDRAWN);
    assertThat(withdrawn.error()).contains("nobody took it");
    assertThat(withdrawn.by()).isEmpty();
    assertThat(OperatorRequests.withdraw(database, id, "twice")).isFalse();
    assertThatThrownBy(() -> OperatorRequests.await(database, id + 1000, Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("there is no request " + (id + 1000));
  }

  private static int applied() {
    return database.transaction(
        "count the read model",
        c -> {
          try (Statement s = c.createStatement();
              ResultSet rs = s.executeQuery("select count(*) from or_applied")) {
            rs.next();
            return rs.getInt(1);
          }
        });
  }

  private static Optional<OffsetDateTime> doneAt(long id) {
    return database.transaction(
        "read request " + id,
        c -> {
          try (PreparedStatement s =
              c.prepareStatement("select done_at from chassis_requests where id = ?")) {
            s.setLong(1, id);
            try (ResultSet rs = s.executeQuery()) {
              rs.next();
              return Optional.ofNullable(rs.getObject(1, OffsetDateTime.class));
            }
          }
        });
  }

  private static String requestedBy(long id) {
    return database.transaction(
        "read request " + id,
        c -> {
          try (PreparedStatement s =
              c.prepareStatement("select requested_by from chassis_requests where id = ?")) {
            s.setLong(1, id);
            try (ResultSet rs = s.executeQuery()) {
              rs.next();
              return rs.getString(1);
            }
          }
        });
  }
}
