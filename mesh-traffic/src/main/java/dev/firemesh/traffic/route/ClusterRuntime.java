package dev.firemesh.traffic.route;

import dev.firemesh.traffic.circuit.CircuitBreaker;
import dev.firemesh.traffic.config.ClusterConfig;
import dev.firemesh.traffic.stats.ClusterStats;
import java.util.Objects;

/**
 * The live side of one cluster, next to its configuration: its circuit breaker and its counters.
 * The router keeps one per cluster name across configuration updates.
 */
public record ClusterRuntime(CircuitBreaker breaker, ClusterStats stats) {
  public ClusterRuntime {
    Objects.requireNonNull(breaker, "breaker");
    Objects.requireNonNull(stats, "stats");
  }

  static ClusterRuntime create(ClusterConfig config) {
    return new ClusterRuntime(new CircuitBreaker(config.limits()), new ClusterStats());
  }

  /** For requests outside any cluster (a sidecar's own app): no limits, counts kept apart. */
  public static ClusterRuntime unlimited() {
    return new ClusterRuntime(CircuitBreaker.unlimited(), new ClusterStats());
  }
}
