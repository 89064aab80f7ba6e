package dev.firemesh.chassis.schedule;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What an owner does about the firings of a task due at a moment: the firings to run, in order, and
 * how many missed ones its policy skips. A firing is missed when it is due by more than the grace:
 * no instance was there to run it in time.
 *
 * @param run the firings to run, oldest first
 * @param skipped missed firings that will not run
 * @param nextWhenNoneRun the task's next firing when {@code run} is empty (empty: no more firings)
 */
record FiringPlan(List<Instant> run, long skipped, Optional<Instant> nextWhenNoneRun) {
  FiringPlan {
    run = List.copyOf(run);
  }

  static FiringPlan of(
      Schedule schedule, MisfirePolicy policy, Instant next, Instant now, Duration grace) {
    if (next.isAfter(now)) {
      return new FiringPlan(List.of(), 0, Optional.of(next));
    }
    Instant missedBefore = now.minus(grace);
    long missed = 0;
    Instant latestMissed = null;
    List<Instant> onTime = new ArrayList<>();
    Instant lastDue = next;
    Instant f = next;
    if (schedule instanceof Schedule.FixedRate(Duration period) && f.isBefore(missedBefore)) {
      // Count a long outage's missed firings without walking them one by one.
      long periods = Duration.between(f, missedBefore).toNanos() / period.toNanos();
      if (periods > 1) {
        missed = periods - 1;
        latestMissed = f.plus(period.multipliedBy(periods - 2));
        f = f.plus(period.multipliedBy(periods - 1));
      }
    }
    while (f != null && !f.isAfter(now)) {
      if (f.isBefore(missedBefore)) {
        missed++;
        latestMissed = f;
      } else {
        onTime.add(f);
      }
      lastDue = f;
      f = schedule.catchesUp() ? schedule.following(f, f).orElse(null) : null;
    }
    List<Instant> run = new ArrayList<>();
    boolean runOnce = policy == MisfirePolicy.RUN_ONCE && latestMissed != null;
    if (runOnce) {
      run.add(latestMissed);
    }
    run.addAll(onTime);
    return new FiringPlan(
        run,
        runOnce ? missed - 1 : missed,
        run.isEmpty() ? schedule.following(lastDue, now) : Optional.empty());
  }
}
