package dev.firemesh.traffic.circuit;

import dev.firemesh.traffic.config.ClusterConfig;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * The circuit breaker of one cluster: counts the connections, pending requests (waiting for a
 * connection), requests and retries in flight, and refuses one more past its limit, so that a
 * failing service gets fast failures instead of a growing queue. One instance lives as long as the
 * cluster does, across configuration updates ({@link #limits(ClusterConfig.Limits)} swaps the
 * limits, the counts stay), and is shared by every event loop: acquiring is a compare-and-set loop,
 * never a lock.
 *
 * <p>Retries are bounded by {@code maxRetries}, or, when the cluster has a retry budget, by that
 * share of the requests in flight (at least {@code minRetryConcurrency}), as Envoy's {@code
 * retry_budget}: a service that fails every request then sees at most that many extra requests,
 * never a retry storm.
 */
public final class CircuitBreaker {
  private volatile ClusterConfig.Limits limits;
  private final AtomicInteger connections = new AtomicInteger();
  private final AtomicInteger pending = new AtomicInteger();
  private final AtomicInteger requests = new AtomicInteger();
  private final AtomicInteger retries = new AtomicInteger();
  private final Map<Limit, LongAdder> overflows = new EnumMap<>(Limit.class);

  public CircuitBreaker(ClusterConfig.Limits limits) {
    this.limits = Objects.requireNonNull(limits, "limits");
    for (Limit limit : Limit.values()) {
      overflows.put(limit, new LongAdder());
    }
  }

  /** A breaker that never trips, for targets outside any cluster (a sidecar's own app). */
  public static CircuitBreaker unlimited() {
    return new CircuitBreaker(
        new ClusterConfig.Limits(
            Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE));
  }

  public ClusterConfig.Limits limits() {
    return limits;
  }

  /** Applies new limits; what is in flight stays counted. */
  public void limits(ClusterConfig.Limits next) {
    limits = Objects.requireNonNull(next, "limits");
  }

  public boolean tryAcquireRequest() {
    return tryAcquire(requests, limits.maxRequests(), Limit.MAX_REQUESTS);
  }

  public void releaseRequest() {
    requests.decrementAndGet();
  }

  public boolean tryAcquirePending() {
    return tryAcquire(pending, limits.maxPendingRequests(), Limit.MAX_PENDING_REQUESTS);
  }

  public void releasePending() {
    pending.decrementAndGet();
  }

  public boolean tryAcquireConnection() {
    return tryAcquire(connections, limits.maxConnections(), Limit.MAX_CONNECTIONS);
  }

  public void releaseConnection() {
    connections.decrementAndGet();
  }

  /**
   * Takes a retry slot, or names the limit that refuses it: {@link Limit#RETRY_BUDGET} or {@link
   * Limit#MAX_RETRIES}; null when the retry may go.
   */
  public Limit tryAcquireRetry() {
    ClusterConfig.Limits current = limits;
    Limit limit = current.hasRetryBudget() ? Limit.RETRY_BUDGET : Limit.MAX_RETRIES;
    int allowed = current.hasRetryBudget() ? budget(current) : current.maxRetries();
    return tryAcquire(retries, allowed, limit) ? null : limit;
  }

  private int budget(ClusterConfig.Limits current) {
    int share = (int) (requests.get() * current.retryBudgetPercent() / 100.0);
    return Math.max(current.minRetryConcurrency(), share);
  }

  public void releaseRetry() {
    retries.decrementAndGet();
  }

  private boolean tryAcquire(AtomicInteger counter, int max, Limit limit) {
    while (true) {
      int current = counter.get();
      if (current >= max) {
        overflows.get(limit).increment();
        return false;
      }
      if (counter.compareAndSet(current, current + 1)) {
        return true;
      }
    }
  }

  public int connections() {
    return connections.get();
  }

  public int pendingRequests() {
    return pending.get();
  }

  public int requests() {
    return requests.get();
  }

  public int retries() {
    return retries.get();
  }

  /** How many times {@code limit} refused something since the cluster appeared. */
  public long overflows(Limit limit) {
    return overflows.get(limit).sum();
  }
}
