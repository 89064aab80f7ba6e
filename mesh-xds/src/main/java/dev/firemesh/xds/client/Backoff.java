package dev.firemesh.xds.client;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential back-off with jitter between reconnection attempts: {@code initial}, doubling up to
 * {@code max}, each delay spread by ±20 % so that sidecars cut off together do not come back
 * together. Not thread-safe; the client's thread owns it. Public for the chassis's RTDS client,
 * which reconnects the same way.
 */
public final class Backoff {
  private static final double JITTER = 0.2;

  private final long initialNanos;
  private final long maxNanos;
  private int failures;

  public Backoff(Duration initial, Duration max) {
    if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
      throw new IllegalArgumentException(
          "back-off needs 0 < initial <= max, got " + initial + " and " + max);
    }
    this.initialNanos = initial.toNanos();
    this.maxNanos = max.toNanos();
  }

  /** The delay before the next attempt; each call without a {@link #reset} doubles it. */
  public Duration next() {
    long base = initialNanos;
    for (int i = 0; i < failures && base < maxNanos; i++) {
      base *= 2;
    }
    failures++;
    double spread = 1 - JITTER + 2 * JITTER * ThreadLocalRandom.current().nextDouble();
    return Duration.ofNanos(Math.min(maxNanos, (long) (Math.min(base, maxNanos) * spread)));
  }

  /** After a connection that worked: the next delay is the initial one again. */
  public void reset() {
    failures = 0;
  }
}
