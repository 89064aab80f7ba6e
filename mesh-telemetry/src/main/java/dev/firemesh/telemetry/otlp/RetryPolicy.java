package dev.firemesh.telemetry.otlp;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How an exporter retries a batch the endpoint could not take: on 429, 502, 503, 504 and on
 * connection failures (refused, reset, timed out), up to {@code maxAttempts} sends in all, waiting
 * between them an exponential backoff from {@code initialBackoff} doubling up to {@code
 * maxBackoff}, with jitter (a random half to whole of it) so many sidecars do not retry in step. A
 * {@code Retry-After} the endpoint sends is waited for when longer than the backoff, up to {@code
 * maxRetryAfter}; asked to wait longer than that, the exporter gives the batch up rather than hold
 * its queue behind it.
 */
public record RetryPolicy(
    int maxAttempts, Duration initialBackoff, Duration maxBackoff, Duration maxRetryAfter) {

  /** OpenTelemetry's exporter defaults: 5 attempts, 1 s doubling to 5 s; Retry-After up to 30 s. */
  public static final RetryPolicy DEFAULT =
      new RetryPolicy(5, Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofSeconds(30));

  /** No retry: one attempt per batch. */
  public static final RetryPolicy NONE =
      new RetryPolicy(1, Duration.ZERO, Duration.ZERO, Duration.ZERO);

  public RetryPolicy {
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be at least 1, got " + maxAttempts);
    }
    if (initialBackoff.isNegative()
        || maxBackoff.compareTo(initialBackoff) < 0
        || maxRetryAfter.isNegative()) {
      throw new IllegalArgumentException(
          "expected 0 <= initialBackoff <= maxBackoff and maxRetryAfter >= 0, got "
              + initialBackoff
              + ", "
              + maxBackoff
              + ", "
              + maxRetryAfter);
    }
  }

  /** The wait before attempt {@code attempt + 1}, after {@code attempt} (1-based) failed. */
  Duration backoff(int attempt) {
    long initial = initialBackoff.toNanos();
    long max = maxBackoff.toNanos();
    long nanos = initial;
    for (int i = 1; i < attempt && nanos < max; i++) {
      nanos *= 2;
    }
    nanos = Math.min(nanos, max);
    if (nanos <= 1) {
      return Duration.ofNanos(nanos);
    }
    return Duration.ofNanos(nanos / 2 + ThreadLocalRandom.current().nextLong(nanos / 2 + 1));
  }
}
