package dev.firemesh.cli.supervise;

import java.time.Duration;
import java.util.Objects;

/**
 * When an app that ended (crashed, or was stopped for failing its health check) is started again:
 * after {@code initialBackoff}, doubled for every restart already made within {@code window}, at
 * most {@code maxBackoff}, each delay drawn between its half and its whole (jitter, so that many
 * instances of a service crashing together do not come back together). More than {@code
 * maxRestarts} restarts within {@code window} means the app cannot run here: the supervisor gives
 * up.
 *
 * <p>Because the doubling counts restarts within the window, an app that has run well for a window
 * is back at {@code initialBackoff} the next time it fails.
 */
public record RestartPolicy(
    Duration initialBackoff, Duration maxBackoff, int maxRestarts, Duration window) {
  public RestartPolicy {
    Objects.requireNonNull(initialBackoff, "initialBackoff");
    Objects.requireNonNull(maxBackoff, "maxBackoff");
    Objects.requireNonNull(window, "window");
    if (initialBackoff.isNegative() || maxBackoff.compareTo(initialBackoff) < 0) {
      throw new IllegalArgumentException(
          "the backoff must not be negative and its maximum not below the initial delay: "
              + initialBackoff
              + ", "
              + maxBackoff);
    }
    if (maxRestarts < 0) {
      throw new IllegalArgumentException("maxRestarts must not be negative: " + maxRestarts);
    }
    if (window.isNegative() || window.isZero()) {
      throw new IllegalArgumentException("the restart window must be positive: " + window);
    }
  }

  /** The delay before a restart when {@code earlier} restarts were made within the window. */
  Duration backoff(int earlier) {
    Duration delay = initialBackoff;
    for (int i = 0; i < earlier && delay.compareTo(maxBackoff) < 0; i++) {
      delay = delay.multipliedBy(2);
    }
    return delay.compareTo(maxBackoff) > 0 ? maxBackoff : delay;
  }
}
