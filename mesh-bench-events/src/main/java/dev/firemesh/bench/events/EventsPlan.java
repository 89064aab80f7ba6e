package dev.firemesh.bench.events;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What {@link EventsBench} measures.
 *
 * @param rates operations per second, each run in turn for appends, commands and repeats
 * @param warmup each run's unrecorded start
 * @param duration each run's recorded window
 * @param streams appends and commands go round robin over this many streams (aggregates)
 * @param writers threads that carry out the operations: the most in flight at once
 * @param partitions the projection's partitions, all in this one instance (the chassis's default is
 *     8; each is a transaction of its own whenever events arrive)
 * @param drain how long after the last scheduled time a run still starts overdue operations; those
 *     not started by then are counted as missed
 */
public record EventsPlan(
    List<Integer> rates,
    Duration warmup,
    Duration duration,
    int streams,
    int writers,
    int partitions,
    Duration drain) {

  private static final Duration DRAIN = Duration.ofSeconds(2);

  // the chassis's own default, as a service runs it unless it says otherwise
  private static final int DEFAULT_PARTITIONS = 8;

  public EventsPlan {
    rates = List.copyOf(rates);
    Objects.requireNonNull(warmup, "warmup");
    Objects.requireNonNull(duration, "duration");
    Objects.requireNonNull(drain, "drain");
    if (rates.isEmpty() || rates.stream().anyMatch(r -> r < 1)) {
      throw new IllegalArgumentException("rates must be at least 1 per second each, got " + rates);
    }
    if (warmup.isNegative() || !duration.isPositive() || drain.isNegative()) {
      throw new IllegalArgumentException(
          "expected warmup >= 0, duration > 0 and drain >= 0; got "
              + warmup
              + ", "
              + duration
              + ", "
              + drain);
    }
    if (streams < 1 || writers < 1 || partitions < 1) {
      throw new IllegalArgumentException(
          "streams, writers and partitions must be at least 1, got "
              + streams
              + ", "
              + writers
              + " and "
              + partitions);
    }
  }

  /**
   * 500 and 2,000 per second, 2 s warm-up, 10 s recorded, 1,000 streams, 16 writers, 8 partitions.
   */
  public static EventsPlan defaults() {
    return new EventsPlan(
        List.of(500, 2000),
        Duration.ofSeconds(2),
        Duration.ofSeconds(10),
        1000,
        16,
        DEFAULT_PARTITIONS,
        DRAIN);
  }

  /** Every code path once, in a few seconds: 200 per second, 200 ms warm-up, 1 s recorded. */
  public static EventsPlan smoke() {
    return new EventsPlan(
        List.of(200),
        Duration.ofMillis(200),
        Duration.ofSeconds(1),
        1000,
        16,
        DEFAULT_PARTITIONS,
        DRAIN);
  }
}
