package dev.firemesh.traffic.ratelimit;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A token bucket of {@code burst} tokens refilled at one token per {@code interval} nanoseconds,
 * kept as one number: the time at which the bucket will be full again (the generic cell rate
 * algorithm's "theoretical arrival time"). Taking a token moves that time one interval later; a
 * token is refused when the time would lie more than {@code burst} intervals ahead of now.
 *
 * <p>So the bucket is a single {@code long} updated by compare-and-set: any number of threads may
 * take tokens without a lock, taking one allocates nothing, and over any span of {@code t}
 * nanoseconds at most {@code burst + t / interval} tokens are granted. A bucket that is full holds
 * no state worth keeping (a new one starts full), which is what lets {@link CallerBuckets} forget
 * idle callers.
 */
public final class TokenBucket {
  private static final VarHandle FULL_AT;

  static {
    try {
      FULL_AT = MethodHandles.lookup().findVarHandle(TokenBucket.class, "fullAt", long.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final long interval;
  private final long tolerance;

  /** When the bucket is full again, on the {@link NanoClock}'s scale; at or before now: full. */
  @SuppressWarnings("unused") // through FULL_AT
  private volatile long fullAt;

  /**
   * A full bucket.
   *
   * @param interval nanoseconds per token, at least 1
   * @param burst the bucket's size, at least 1
   * @param now the clock's time now
   */
  public TokenBucket(long interval, int burst, long now) {
    if (interval < 1 || burst < 1) {
      throw new IllegalArgumentException(
          "interval and burst must be at least 1, got " + interval + " and " + burst);
    }
    this.interval = interval;
    this.tolerance = Math.multiplyExact(interval, (long) burst);
    this.fullAt = now;
  }

  /** The interval for a rate: nanoseconds per token, rounded, at least 1. */
  public static long interval(double tokensPerSecond) {
    if (!(tokensPerSecond > 0)) {
      throw new IllegalArgumentException("tokensPerSecond must be positive: " + tokensPerSecond);
    }
    return Math.max(1, Math.round(1e9 / tokensPerSecond));
  }

  /**
   * Takes a token if there is one.
   *
   * @param now the clock's time now
   * @return 0 if a token was taken; otherwise how many nanoseconds until one will be there (at
   *     least 1)
   */
  public long tryAcquire(long now) {
    while (true) {
      long current = (long) FULL_AT.getVolatile(this);
      long base = current - now > 0 ? current : now; // an idle bucket refills up to full only
      long next = base + interval;
      long over = next - now - tolerance;
      if (over > 0) {
        return over;
      }
      if (FULL_AT.compareAndSet(this, current, next)) {
        return 0;
      }
    }
  }

  /**
   * Whether the bucket holds all its tokens at {@code now}, so that forgetting it loses nothing.
   */
  public boolean isFull(long now) {
    return (long) FULL_AT.getVolatile(this) - now <= 0;
  }

  /** The tokens the bucket holds at {@code now}, rounded down; for tests and reports. */
  public long available(long now) {
    long ahead = Math.max(0, (long) FULL_AT.getVolatile(this) - now);
    return (tolerance - ahead) / interval;
  }
}
