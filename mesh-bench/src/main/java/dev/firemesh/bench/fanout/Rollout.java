package dev.firemesh.bench.fanout;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * One change on its way to every sidecar of a fleet: the probe port that marks it, and when each
 * sidecar first held a whole configuration carrying it (and had ACKed it). Sidecars report from
 * their own threads; each slot is written once.
 */
final class Rollout {
  private static final long PENDING = Long.MIN_VALUE;

  private final int port;
  private final AtomicLongArray arrivals;
  private final CountDownLatch outstanding;

  Rollout(int port, int sidecars) {
    this.port = port;
    this.arrivals = new AtomicLongArray(sidecars);
    for (int i = 0; i < sidecars; i++) {
      arrivals.set(i, PENDING);
    }
    this.outstanding = new CountDownLatch(sidecars);
  }

  int port() {
    return port;
  }

  /**
   * Records that sidecar {@code index} has the change at {@code nanos}; later calls are ignored.
   */
  void arrived(int index, long nanos) {
    if (arrivals.compareAndSet(index, PENDING, nanos)) {
      outstanding.countDown();
    }
  }

  /** Waits until every sidecar has the change or {@code timeout} passes; true if all have it. */
  boolean await(Duration timeout) throws InterruptedException {
    return outstanding.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
  }

  int sidecars() {
    return arrivals.length();
  }

  int arrivedCount() {
    return sidecars() - (int) outstanding.getCount();
  }

  boolean arrived(int index) {
    return arrivals.get(index) != PENDING;
  }

  /**
   * When sidecar {@code index} had the change ({@link System#nanoTime()}); see {@link #arrived}.
   */
  long arrival(int index) {
    long nanos = arrivals.get(index);
    if (nanos == PENDING) {
      throw new IllegalStateException("sidecar " + index + " has not received port " + port);
    }
    return nanos;
  }
}
