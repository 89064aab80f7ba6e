package dev.firemesh.chassis.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.firemesh.chassis.store.ChassisStore;
import dev.firemesh.store.Database;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Misfire policies and business days, with the scheduler timed by a clock the test moves. */
class SchedulerClockTest {
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

  private static Scheduler scheduler(String instance, TestClock clock, Task... tasks) {
    return Scheduler.builder(database, instance)
        .clock(clock)
        .lease(Duration.ofSeconds(3))
        .tasks(List.of(tasks))
        .build()
        .start();
  }

  private static Task everyMinute(String name, MisfirePolicy policy) {
    return Task.fixedRate(name, Duration.ofMinutes(1)).misfire(policy).run(context -> {});
  }

  static TaskStatus status(String task) {
    return status(database, task);
  }

  /** The task as {@code firemesh tasks} lists it. */
  static TaskStatus status(Database database, String task) {
    return Scheduler.status(database).stream()
        .filter(s -> s.task().equals(task))
        .findFirst()
        .orElseThrow();
  }

  static List<Instant> firingsRun(String task) {
    return database.transaction(
        "read runs",
        c -> {
          try (PreparedStatement s =
              c.prepareStatement("select firing from sched_runs where task = ? order by firing")) {
            s.setString(1, task);
            List<Instant> firings = new ArrayList<>();
            try (ResultSet rs = s.executeQuery()) {
              while (rs.next()) {
                firings.add(rs.getObject(1, OffsetDateTime.class).toInstant());
              }
            }
            return firings;
          }
        });
  }

  @Test
  void missedFiringsRunOnceOnRecoveryOrAreSkipped() {
    Instant t0 = Instant.parse("2026-06-01T10:00:00Z");
    TestClock clock = new TestClock(t0);
    try (Scheduler first =
        scheduler(
            "first",
            clock,
            everyMinute("catch-up", MisfirePolicy.RUN_ONCE),
            everyMinute("skip-missed", MisfirePolicy.SKIP))) {
      await()
          .atMost(Duration.ofSeconds(15))
          .until(
              () ->
                  first.owned().size() == 2
                      && status("catch-up").runs() == 1
                      && status("skip-missed").runs() == 1);
    }

    // Every instance down across ten firings (10:01 .. 10:10), back at 10:10:30.
    clock.set(t0.plus(Duration.ofMinutes(10)).plusSeconds(30));
    Instant next = t0.plus(Duration.ofMinutes(11));
    try (Scheduler second =
        scheduler(
            "second",
            clock,
            everyMinute("catch-up", MisfirePolicy.RUN_ONCE),
            everyMinute("skip-missed", MisfirePolicy.SKIP))) {
      await()
          .atMost(Duration.ofSeconds(15))
          .until(
              () ->
                  second.owned().size() == 2
                      && status("catch-up").nextFiring().equals(java.util.Optional.of(next))
                      && status("skip-missed").nextFiring().equals(java.util.Optional.of(next)));
    }
    assertThat(firingsRun("catch-up")).containsExactly(t0, t0.plus(Duration.ofMinutes(10)));
    assertThat(status("catch-up").runs()).isEqualTo(2);
    assertThat(firingsRun("skip-missed")).containsExactly(t0);
    assertThat(status("skip-missed").runs()).isEqualTo(1);
  }

  @Test
  void instancesShareTheTasksFairly() {
    TestClock clock = new TestClock(Instant.parse("2026-06-03T09:00:00Z"));
    Instant never = Instant.parse("2030-01-01T00:00:00Z");
    Task[] tasks = new Task[4];
    for (int i = 0; i < tasks.length; i++) {
      tasks[i] = Task.once("shared-" + i, never).run(context -> {});
    }
    try (Scheduler x = scheduler("x", clock, tasks)) {
      await().atMost(Duration.ofSeconds(15)).until(() -> x.owned().size() == 4);
      try (Scheduler y = scheduler("y", clock, tasks)) {
        await()
            .atMost(Duration.ofSeconds(20))
            .until(() -> x.owned().size() == 2 && y.owned().size() == 2);
        assertThat(x.owned()).doesNotContainAnyElementsOf(y.owned());
      }
    }
  }

  @Test
  void aFailedRunIsRecordedListedAndCounted() {
    Instant at = Instant.parse("2026-06-02T09:00:00Z");
    TestClock clock = new TestClock(at.minusSeconds(60));
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    Task failing =
        Task.once("fails-once", at)
            .run(
                context -> {
                  throw new IllegalStateException("venue file missing");
                });
    Task succeeding = Task.once("succeeds-once", at).run(context -> {});
    try (Scheduler scheduler =
        Scheduler.builder(database, "listed")
            .clock(clock)
            .lease(Duration.ofSeconds(3))
            .meterRegistry(registry)
            .task(failing)
            .task(succeeding)
            .build()
            .start()) {
      await().atMost(Duration.ofSeconds(15)).until(() -> scheduler.owned().size() == 2);
      TaskStatus before = status("fails-once");
      assertThat(before.kind()).isEqualTo(TaskKind.ONCE);
      assertThat(before.spec()).isEqualTo("once at 2026-06-02T09:00:00Z");
      assertThat(before.owner()).contains("listed");
      assertThat(before.token()).isEqualTo(1);
      assertThat(before.leaseUntil()).isPresent();
      assertThat(before.nextFiring()).contains(at);
      assertThat(before.lastOutcome()).isEmpty();

      clock.set(at.plusSeconds(1));
      await()
          .atMost(Duration.ofSeconds(15))
          .until(() -> status("fails-once").runs() == 1 && status("succeeds-once").runs() == 1);
      TaskStatus failed = status("fails-once");
      assertThat(failed.lastFiring()).contains(at);
      assertThat(failed.lastStarted()).contains(at.plusSeconds(1));
      assertThat(failed.lastOutcome()).contains("failed");
      assertThat(failed.lastError())
          .hasValueSatisfying(e -> assertThat(e).contains("venue file missing"));
      assertThat(failed.nextFiring()).as("a once task fires once, failed or not").isEmpty();
      assertThat(status("succeeds-once").lastOutcome()).contains("succeeded");

      String metrics = registry.scrape();
      assertThat(metrics)
          .contains("firemesh_chassis_task_runs_total{outcome=\"failed\",task=\"fails-once\"} 1.0")
          .contains(
              "firemesh_chassis_task_runs_total{outcome=\"succeeded\",task=\"succeeds-once\"} 1.0")
          .contains("firemesh_chassis_task_owned{task=\"fails-once\"} 1.0")
          .contains(
              "firemesh_chassis_task_last_success_seconds{task=\"succeeds-once\"} "
                  + (double) at.plusSeconds(1).getEpochSecond());
    }
    assertThat(registry.scrape()).contains("firemesh_chassis_task_owned{task=\"fails-once\"} 0.0");
    assertThat(status("fails-once").owner()).as("released at close").isEmpty();
  }

  @Test
  void aBusinessDayTaskSkipsTheHolidaysAndTheWeekend() throws InterruptedException {
    TestClock clock = new TestClock(Instant.parse("2026-12-24T12:00:00Z"));
    Task endOfDay =
        Task.cron("end-of-day", "0 17 * * *", ZoneId.of("Europe/London"))
            .businessDays(TradingCalendar.london())
            .run(context -> {});
    try (Scheduler scheduler = scheduler("eod", clock, endOfDay)) {
      await().atMost(Duration.ofSeconds(15)).until(() -> scheduler.owned().contains("end-of-day"));
      assertThat(status("end-of-day").nextFiring()).contains(Instant.parse("2026-12-24T17:00:00Z"));

      clock.set(Instant.parse("2026-12-24T17:00:01Z"));
      await().atMost(Duration.ofSeconds(15)).until(() -> status("end-of-day").runs() == 1);
      assertThat(status("end-of-day").nextFiring())
          .as("Christmas, the weekend and the substitute Boxing Day (Monday 28th) are skipped")
          .contains(Instant.parse("2026-12-29T17:00:00Z"));

      for (String day : List.of("25", "26", "27", "28")) {
        clock.set(Instant.parse("2026-12-" + day + "T17:00:01Z"));
        Thread.sleep(100); // two ticks: nothing is due
      }
      clock.set(Instant.parse("2026-12-29T17:00:01Z"));
      await().atMost(Duration.ofSeconds(15)).until(() -> status("end-of-day").runs() == 2);
    }
    assertThat(firingsRun("end-of-day"))
        .containsExactly(
            Instant.parse("2026-12-24T17:00:00Z"), Instant.parse("2026-12-29T17:00:00Z"));
    assertThat(status("end-of-day").nextFiring()).contains(Instant.parse("2026-12-30T17:00:00Z"));
  }
}
