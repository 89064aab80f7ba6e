package dev.firemesh.chassis.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class FiringPlanTest {
  private static final Instant T0 = Instant.parse("2026-06-01T10:00:00Z");
  private static final Duration GRACE = Duration.ofSeconds(6);
  private static final Schedule EVERY_MINUTE = new Schedule.FixedRate(Duration.ofMinutes(1));

  @Test
  void aFiringDueWithinTheGraceRuns() {
    FiringPlan plan = FiringPlan.of(EVERY_MINUTE, MisfirePolicy.SKIP, T0, T0.plusSeconds(5), GRACE);
    assertThat(plan.run()).containsExactly(T0);
    assertThat(plan.skipped()).isZero();
  }

  @Test
  void runOnceRunsTheLatestMissedFiringForAllOfThem() {
    // Down from T0 to T0 + 10m30s: T0 .. T0+10m missed (11 firings).
    Instant now = T0.plus(Duration.ofMinutes(10)).plusSeconds(30);
    FiringPlan plan = FiringPlan.of(EVERY_MINUTE, MisfirePolicy.RUN_ONCE, T0, now, GRACE);
    assertThat(plan.run()).containsExactly(T0.plus(Duration.ofMinutes(10)));
    assertThat(plan.skipped()).isEqualTo(10);
  }

  @Test
  void skipRunsNoneAndMovesToTheNextFutureFiring() {
    Instant now = T0.plus(Duration.ofMinutes(10)).plusSeconds(30);
    FiringPlan plan = FiringPlan.of(EVERY_MINUTE, MisfirePolicy.SKIP, T0, now, GRACE);
    assertThat(plan.run()).isEmpty();
    assertThat(plan.skipped()).isEqualTo(11);
    assertThat(plan.nextWhenNoneRun()).contains(T0.plus(Duration.ofMinutes(11)));
  }

  @Test
  void aLongOutageOfAFastTaskIsCountedNotWalked() {
    Schedule everyMilli = new Schedule.FixedRate(Duration.ofMillis(1));
    Instant now = T0.plus(Duration.ofDays(400));
    FiringPlan plan = FiringPlan.of(everyMilli, MisfirePolicy.RUN_ONCE, T0, now, GRACE);
    // The latest missed firing, then each of the 6,001 firings within the grace.
    assertThat(plan.run()).hasSize(6002);
    assertThat(plan.run().getFirst()).isEqualTo(now.minus(GRACE).minusMillis(1));
    assertThat(plan.run().getLast()).isEqualTo(now);
    assertThat(plan.skipped() + plan.run().size()).isEqualTo(Duration.ofDays(400).toMillis() + 1);
  }

  @Test
  void aOnceTaskMissedAndSkippedHasNoNextFiring() {
    FiringPlan plan =
        FiringPlan.of(
            new Schedule.Once(T0), MisfirePolicy.SKIP, T0, T0.plus(Duration.ofHours(1)), GRACE);
    assertThat(plan.run()).isEmpty();
    assertThat(plan.nextWhenNoneRun()).isEmpty();
  }

  @Test
  void businessDayCronSkipsHolidaysAndWeekends() {
    Task task =
        Task.cron("eod", "0 17 * * *", ZoneId.of("Europe/London"))
            .businessDays(TradingCalendar.london())
            .run(context -> {});
    // Thursday 24 December 2026; Christmas (Fri), the weekend and the substitute Boxing Day (Mon
    // 28th) are skipped.
    Instant t = Instant.parse("2026-12-24T12:00:00Z");
    List<Instant> firings = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      t = task.schedule().following(t, t).orElseThrow();
      firings.add(t);
    }
    assertThat(firings)
        .containsExactly(
            Instant.parse("2026-12-24T17:00:00Z"),
            Instant.parse("2026-12-29T17:00:00Z"),
            Instant.parse("2026-12-30T17:00:00Z"));
    assertThat(task.spec()).isEqualTo("0 17 * * * Europe/London, business days (london)");
    assertThat(task.schedule().first(Instant.parse("2026-12-25T09:00:00Z")))
        .isEqualTo(Optional.of(Instant.parse("2026-12-29T17:00:00Z")));
  }
}
