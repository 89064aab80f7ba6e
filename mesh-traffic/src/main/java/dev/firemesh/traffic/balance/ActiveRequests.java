package dev.firemesh.traffic.balance;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * The number of requests in flight to one endpoint of one cluster. One instance lives as long as
 * the endpoint stays in its cluster, across configuration updates, so that least-request balancing
 * keeps seeing the load already sent. An {@link AtomicInteger} rather than a {@code LongAdder}:
 * balancers read it on every pick, and a read must be one load.
 */
public final class ActiveRequests {
  private final AtomicInteger count = new AtomicInteger();

  public int count() {
    return count.get();
  }

  public void increment() {
    count.incrementAndGet();
  }

  public void decrement() {
    count.decrementAndGet();
  }

  @Override
  public String toString() {
    return Integer.toString(count.get());
  }
}
