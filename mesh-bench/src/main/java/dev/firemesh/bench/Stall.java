package dev.firemesh.bench;

import java.time.Duration;

/**
 * A one-off pause of the upstream, as a garbage collection or a page fault storm would cause:
 * starting {@code after} the first request, responses are held for {@code length}. It lets a run
 * show how the generator reports a stall (it should dominate the tail), so the harness's honesty
 * can be checked by hand as well as by tests.
 */
public record Stall(Duration after, Duration length) {
  public Stall {
    if (after.isNegative() || !length.isPositive()) {
      throw new IllegalArgumentException(
          "a stall needs a non-negative start and a positive length, was after "
              + after
              + " for "
              + length);
    }
  }
}
