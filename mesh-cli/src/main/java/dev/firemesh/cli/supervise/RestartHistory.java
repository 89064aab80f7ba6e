package dev.firemesh.cli.supervise;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.DoubleSupplier;

/**
 * The restarts made under a {@link RestartPolicy}, and the decision each new failure gets. Time is
 * the caller's ({@code System.nanoTime()} in production, a hand-moved value in tests), and so is
 * the jitter, so decisions are deterministic under test. Owned by the supervisor's thread.
 */
final class RestartHistory {
  /** What to do about an app that has just ended in failure. */
  sealed interface Decision {}

  /**
   * Start it again after {@code delay}.
   *
   * @param restart the how-manieth restart within the window this is (1 for the first)
   */
  record Restart(Duration delay, int restart) implements Decision {}

  /** It failed more than the policy allows: {@code restarts} restarts within the window already. */
  record GiveUp(int restarts, Duration window) implements Decision {}

  private final RestartPolicy policy;
  private final DoubleSupplier jitter;
  private final Deque<Long> restartsNanos = new ArrayDeque<>();
  private long total;

  /**
   * @param jitter values in [0, 1): where each delay falls between half the backoff and all of it
   *     (to the millisecond)
   */
  RestartHistory(RestartPolicy policy, DoubleSupplier jitter) {
    this.policy = policy;
    this.jitter = jitter;
  }

  /** The app failed at {@code nowNanos}: restart it (counted from now) or give up. */
  Decision failed(long nowNanos) {
    long windowNanos = policy.window().toNanos();
    while (!restartsNanos.isEmpty() && nowNanos - restartsNanos.peekFirst() >= windowNanos) {
      restartsNanos.removeFirst();
    }
    int earlier = restartsNanos.size();
    if (earlier >= policy.maxRestarts()) {
      return new GiveUp(earlier, policy.window());
    }
    restartsNanos.addLast(nowNanos);
    total++;
    Duration backoff = policy.backoff(earlier);
    double fraction = Math.clamp(jitter.getAsDouble(), 0.0, 1.0);
    long millis = backoff.toMillis() / 2 + (long) (backoff.toMillis() / 2 * fraction);
    return new Restart(Duration.ofMillis(millis), earlier + 1);
  }

  /** Restarts since the supervisor started. */
  long total() {
    return total;
  }
}
