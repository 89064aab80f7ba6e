package dev.firemesh.chassis.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.firemesh.chassis.store.ChassisStore;
import dev.firemesh.store.Database;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A failed firing tried again, by the owner or by whoever takes the task over, then given up. */
class SchedulerRetryTest {
  @TempDir static Path dataDir;
  static Database database;

  @BeforeAll
  static void startStore() {
    database = ChassisStore.embedded(dataDir);
  }

  @AfterAll
  static void stopStore() {
    database.close();
  }

  /** The attempts a body saw, as {@code instance:attempt}; it fails while {@code failures} last. */
  private static TaskBody failing(List<String> attempts, String instance, int failures) {
    return context -> {
      attempts.add(instance + ":" + context.attempt());
      if (context.attempt() <= failures) {
        throw new IllegalStateException("venue file not there yet");
      }
    };
  }

  private static Scheduler start(String instance, Task task) {
    return Scheduler.builder(database, instance).task(task).build().start();
  }

  private static TaskStatus status(String task) {
    return SchedulerClockTest.status(database, task);
  }

  /** The firing's row: {@code outcome/attempts}. */
  private static Optional<String> run(String task) {
    return database.transaction(
        "read the run",
        c -> {
          try (PreparedStatement s =
              c.prepareStatement("select outcome, attempts from sched_runs where task = ?")) {
            s.setString(1, task);
            try (ResultSet rs = s.executeQuery()) {
              return rs.next()
                  ? Optional.of(rs.getString(1) + "/" + rs.getInt(2))
                  : Optional.<String>empty();
            }
          }
        });
  }

  @Test
  void aFailedFiringIsTriedAgainUntilItSucceeds() {
    List<String> attempts = new CopyOnWriteArrayList<>();
    Task task =
        Task.once("load-venue-file", Instant.now())
            .retry(3, Duration.ofMillis(200))
            .run(failing(attempts, "a", 2));
    try (Scheduler a = start("a", task)) {
      await().atMost(Duration.ofSeconds(15)).until(() -> run(task.name()).equals(ok(3)));
    }
    assertThat(attempts).containsExactly("a:1", "a:2", "a:3");
    TaskStatus status = status(task.name());
    assertThat(status.lastOutcome()).contains("succeeded");
    assertThat(status.nextFiring()).as("a once task is done").isEmpty();
    assertThat(status.runs()).isEqualTo(3);
  }

  private static Optional<String> ok(int attempts) {
    return Optional.of("succeeded/" + attempts);
  }

  @Test
  void attemptsRunOutAndTheFailureIsRecorded() throws Exception {
    List<String> attempts = new CopyOnWriteArrayList<>();
    Task task =
        Task.once("always-failing", Instant.now())
            .retry(2, Duration.ofMillis(100))
            .run(failing(attempts, "a", Integer.MAX_VALUE));
    try (Scheduler a = start("a", task)) {
      await()
          .atMost(Duration.ofSeconds(15))
          .until(() -> run(task.name()).equals(Optional.of("failed/2")));
      Thread.sleep(500); // time for a third attempt, were one made
    }
    assertThat(attempts).containsExactly("a:1", "a:2");
    TaskStatus status = status(task.name());
    assertThat(status.lastOutcome()).contains("failed");
    assertThat(status.lastError()).hasValueSatisfying(e -> assertThat(e).contains("venue file"));
    assertThat(status.nextFiring()).isEmpty();
  }

  @Test
  void aFailureAfterTheFencedWriteIsNotRetried() throws Exception {
    List<String> attempts = new CopyOnWriteArrayList<>();
    Task task =
        Task.once("fenced-then-failing", Instant.now())
            .retry(3, Duration.ofMillis(100))
            .run(
                context -> {
                  attempts.add("a:" + context.attempt());
                  context.fenced(tx -> null);
                  throw new IllegalStateException("the notification after the write failed");
                });
    try (Scheduler a = start("a", task)) {
      await()
          .atMost(Duration.ofSeconds(15))
          .until(() -> status(task.name()).lastOutcome().isPresent());
      Thread.sleep(500); // time for a second attempt, were one made
    }
    assertThat(attempts).as("the work was written: doing it again would do it twice").hasSize(1);
    assertThat(status(task.name()).nextFiring()).isEmpty();
  }

  @Test
  void aRetryPendingWhenTheOwnerStopsIsMadeByTheInstanceThatTakesOver() {
    List<String> attempts = new CopyOnWriteArrayList<>();
    String name = "handed-over";
    Instant at = Instant.now().truncatedTo(ChronoUnit.MICROS); // as the store keeps it
    Duration backoff = Duration.ofSeconds(5); // the stop comes well before it
    try (Scheduler a =
        start("a", Task.once(name, at).retry(3, backoff).run(failing(attempts, "a", 1)))) {
      await().atMost(Duration.ofSeconds(15)).until(() -> attempts.size() == 1);
      await().atMost(Duration.ofSeconds(5)).until(() -> run(name).equals(Optional.of("failed/1")));
      TaskStatus pending = status(name);
      assertThat(pending.retryOf()).as("what firemesh tasks shows").contains(at);
      assertThat(pending.attempt()).isEqualTo(2);
      assertThat(pending.nextFiring()).hasValueSatisfying(n -> assertThat(n).isAfter(at));
    } // stops before the retry is due, releasing the lease
    try (Scheduler b =
        start("b", Task.once(name, at).retry(3, backoff).run(failing(attempts, "b", 1)))) {
      await().atMost(Duration.ofSeconds(15)).until(() -> run(name).equals(ok(2)));
    }
    assertThat(attempts).containsExactly("a:1", "b:2");
  }

  @Test
  void aRetryNeedsAtLeastOneAttemptAndABackoff() {
    assertThatThrownBy(() -> Task.once("x", Instant.now()).retry(0, Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at least 1 attempt");
    assertThatThrownBy(() -> Task.once("x", Instant.now()).retry(2, Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("a retry's backoff must be at least 1 ms");
  }
}
