package dev.firemesh.bench.events;

import java.util.Optional;

/**
 * One row of the results: an operation at one rate. Latencies in microseconds, from each
 * operation's scheduled start (for {@code subscriber lag}: from the append's commit) to its end.
 *
 * @param operation {@code append}, {@code subscriber lag}, {@code command} or {@code command
 *     repeat}
 * @param rate the schedule, operations per second
 * @param scheduled operations in the recorded window; {@code count + errors + missed} of them
 * @param count operations that succeeded
 * @param errors operations that failed, conflicts included
 * @param conflicts failures that met a stream at another version than expected
 * @param missed operations still not started when the drain after the schedule ran out; for the
 *     subscriber lag, events applied only after the drain that followed the last append (they are
 *     in {@code count} too)
 * @param achievedRate operations finished per second over the window and its drain
 * @param keptUp none failed or was missed: every operation started (every event was applied) before
 *     the drain ran out
 * @param firstError the first failure, in words
 */
public record OperationFigures(
    String operation,
    int rate,
    long p50,
    long p90,
    long p99,
    long p999,
    long max,
    double mean,
    long scheduled,
    long count,
    long errors,
    long conflicts,
    long missed,
    double achievedRate,
    boolean keptUp,
    Optional<String> firstError) {

  static OperationFigures of(String operation, int rate, Tally tally) {
    var latency = tally.latency();
    return new OperationFigures(
        operation,
        rate,
        latency.p50(),
        latency.p90(),
        latency.p99(),
        latency.p999(),
        latency.max(),
        latency.mean(),
        tally.scheduled(),
        tally.count(),
        tally.errors(),
        tally.conflicts(),
        tally.missed(),
        tally.achievedRate(),
        tally.errors() == 0 && tally.missed() == 0,
        tally.firstError());
  }
}
