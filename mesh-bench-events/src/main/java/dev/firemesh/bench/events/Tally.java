package dev.firemesh.bench.events;

import dev.firemesh.bench.LatencySummary;
import java.util.Optional;

/**
 * What one run measured in its recorded window: {@code count + errors + missed == scheduled} (for
 * the subscriber's lag, {@code count + errors == scheduled}: its missed events are late, not lost).
 *
 * @param scheduled operations scheduled in the window (for the subscriber's lag: events committed)
 * @param count operations that succeeded, each recorded in {@code latency}
 * @param errors operations that failed, conflicts included (for the lag: events not applied in
 *     time)
 * @param conflicts failures that met a stream at another version than expected
 * @param missed operations not started by the end of the drain (for the lag: events applied after
 *     the drain that followed the last append)
 * @param windowStartNanos when the window opened ({@link System#nanoTime})
 * @param lastDoneNanos when the last operation of the window finished
 * @param latency microseconds from each operation's scheduled start to its end
 * @param firstError the first failure, in words
 */
record Tally(
    long scheduled,
    long count,
    long errors,
    long conflicts,
    long missed,
    long windowStartNanos,
    long lastDoneNanos,
    LatencySummary latency,
    Optional<String> firstError) {

  /** Operations finished per second, from the window's start to the last one's end. */
  double achievedRate() {
    long window = lastDoneNanos - windowStartNanos;
    return window > 0 ? (count + errors) * 1e9 / window : 0;
  }
}
