package dev.firemesh.traffic.ratelimit;

/**
 * The {@code retry-after} a refused caller is told: whole seconds (RFC 9110 allows no fraction),
 * rounded up so that a caller who waits that long finds a token, and at least 1, as 0 would invite
 * an immediate retry.
 */
public final class RetryAfter {
  private static final long NANOS_PER_SECOND = 1_000_000_000L;

  private RetryAfter() {}

  /** {@code waitNanos} as whole seconds, rounded up, at least 1. */
  public static long seconds(long waitNanos) {
    if (waitNanos <= NANOS_PER_SECOND) {
      return 1;
    }
    return (waitNanos - 1) / NANOS_PER_SECOND + 1;
  }
}
