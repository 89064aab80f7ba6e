package dev.firemesh.traffic.ratelimit;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One bucket per caller, for a rule limited {@code per: caller}, held to at most {@code capacity}
 * callers so that a flood of made-up caller names cannot exhaust memory.
 *
 * <p>When the table is full, buckets that are full again (their caller has been idle long enough to
 * refill) are dropped: a full bucket holds nothing a fresh one would not, so this forgets no limit.
 * That sweep runs at most once per {@link #SWEEP_INTERVAL_NANOS}, so a flood costs a bounded amount
 * of work; callers that still find no room share one overflow bucket until a sweep makes room.
 */
final class CallerBuckets {
  static final long SWEEP_INTERVAL_NANOS = 1_000_000_000L;

  private final long interval;
  private final int burst;
  private final int capacity;
  private final ConcurrentHashMap<String, TokenBucket> buckets = new ConcurrentHashMap<>();
  private final AtomicInteger size = new AtomicInteger();
  private final AtomicLong nextSweep;
  private final TokenBucket overflow;

  CallerBuckets(long interval, int burst, int capacity, long now) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be at least 1: " + capacity);
    }
    this.interval = interval;
    this.burst = burst;
    this.capacity = capacity;
    this.nextSweep = new AtomicLong(now);
    this.overflow = new TokenBucket(interval, burst, now);
  }

  /** The caller's bucket, made full on first sight; the shared overflow bucket if no room. */
  TokenBucket of(String caller, long now) {
    TokenBucket bucket = buckets.get(caller);
    if (bucket != null) {
      return bucket;
    }
    if (size.get() >= capacity && (!sweep(now) || size.get() >= capacity)) {
      return overflow;
    }
    TokenBucket fresh = new TokenBucket(interval, burst, now);
    TokenBucket raced = buckets.putIfAbsent(caller, fresh);
    if (raced != null) {
      return raced;
    }
    size.incrementAndGet(); // racing threads may overshoot capacity by one each, no more
    return fresh;
  }

  /** Drops full buckets if a sweep is due; true if this call swept. */
  private boolean sweep(long now) {
    long due = nextSweep.get();
    if (now - due < 0 || !nextSweep.compareAndSet(due, now + SWEEP_INTERVAL_NANOS)) {
      return false;
    }
    buckets.forEach(
        (caller, bucket) -> {
          if (bucket.isFull(now) && buckets.remove(caller, bucket)) {
            size.decrementAndGet();
          }
        });
    return true;
  }

  /** Callers with a bucket of their own. */
  int size() {
    return size.get();
  }
}
