package dev.firemesh.bench.events;

import dev.firemesh.bench.LatencySummary;
import dev.firemesh.bench.Schedule;
import dev.firemesh.chassis.events.WrongExpectedVersionException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;

/**
 * Runs one operation at a constant rate on a bounded pool of writers (virtual threads). Each writer
 * takes the next slot of the timetable, waits for its scheduled time and carries it out; when every
 * writer is busy, due slots wait, and their latency, measured from the scheduled time, includes the
 * wait. So a slow store shows as latency and a lower achieved rate, never as operations that
 * quietly did not happen: {@code count + errors + missed == scheduled}.
 */
final class OpenLoopRun {
  // time to start every writer before the first slot is due
  private static final long START_DELAY_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

  /** One operation, for one slot of the timetable; throws if it failed. */
  @FunctionalInterface
  interface Operation {
    /**
     * @param measured whether the slot is in the recorded window (not the warm-up)
     */
    void run(long slot, boolean measured);
  }

  /** A writer's own counts, merged once every writer has stopped. */
  private static final class WriterTally {
    final Histogram latency = new Histogram(3);
    long count;
    long errors;
    long conflicts;
    long missed;
    long lastDone;
    String firstError;
  }

  private OpenLoopRun() {}

  static Tally run(EventsPlan plan, int rate, Operation operation) throws InterruptedException {
    Schedule schedule =
        new Schedule(
            System.nanoTime() + START_DELAY_NANOS,
            rate,
            1,
            slots(rate, plan.warmup()),
            Math.max(1, slots(rate, plan.duration())));
    long deadline = schedule.lastSlotNanos() + plan.drain().toNanos();
    AtomicLong next = new AtomicLong();
    List<WriterTally> tallies = new ArrayList<>();
    List<Thread> writers = new ArrayList<>();
    for (int i = 0; i < plan.writers(); i++) {
      WriterTally tally = new WriterTally();
      tallies.add(tally);
      writers.add(
          Thread.ofVirtual()
              .name("bench-writer-" + i)
              .start(() -> write(schedule, deadline, next, operation, tally)));
    }
    for (Thread writer : writers) {
      writer.join();
    }
    Histogram latency = new Histogram(3);
    long count = 0;
    long errors = 0;
    long conflicts = 0;
    long missed = 0;
    long lastDone = schedule.measureStartNanos();
    Optional<String> firstError = Optional.empty();
    for (WriterTally t : tallies) {
      latency.add(t.latency);
      count += t.count;
      errors += t.errors;
      conflicts += t.conflicts;
      missed += t.missed;
      lastDone = Math.max(lastDone, t.lastDone);
      if (firstError.isEmpty() && t.firstError != null) {
        firstError = Optional.of(t.firstError);
      }
    }
    return new Tally(
        schedule.measuredSlots(),
        count,
        errors,
        conflicts,
        missed,
        schedule.measureStartNanos(),
        lastDone,
        LatencySummary.of(latency),
        firstError);
  }

  private static void write(
      Schedule schedule, long deadline, AtomicLong next, Operation operation, WriterTally tally) {
    for (long slot = next.getAndIncrement();
        slot < schedule.totalSlots();
        slot = next.getAndIncrement()) {
      long intended = schedule.intendedNanos(slot);
      long now;
      while ((now = System.nanoTime()) < intended) {
        LockSupport.parkNanos(intended - now);
      }
      boolean measured = schedule.measured(slot);
      if (now > deadline) {
        if (measured) {
          tally.missed++;
        }
        continue;
      }
      try {
        operation.run(slot, measured);
        if (measured) {
          long done = System.nanoTime();
          tally.latency.recordValue(TimeUnit.NANOSECONDS.toMicros(done - intended));
          tally.count++;
          tally.lastDone = Math.max(tally.lastDone, done);
        }
      } catch (RuntimeException e) {
        if (measured) {
          tally.errors++;
          tally.lastDone = Math.max(tally.lastDone, System.nanoTime());
          if (e instanceof WrongExpectedVersionException) {
            tally.conflicts++;
          }
          if (tally.firstError == null) {
            tally.firstError = e.toString();
          }
        }
      }
    }
  }

  private static long slots(int rate, Duration duration) {
    return rate * duration.toNanos() / 1_000_000_000L;
  }
}
