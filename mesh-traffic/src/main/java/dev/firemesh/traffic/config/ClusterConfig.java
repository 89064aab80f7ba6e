package dev.firemesh.traffic.config;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * A set of endpoints and how to use them: the upstream protocol, the balancing policy, connection
 * timeouts, circuit-breaking limits and outlier detection.
 */
public record ClusterConfig(
    String name,
    Protocol protocol,
    BalancerPolicy balancer,
    Duration connectTimeout,
    Duration idleTimeout,
    Limits limits,
    OutlierDetection outlierDetection,
    List<Endpoint> endpoints) {

  public ClusterConfig {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(protocol, "protocol");
    Objects.requireNonNull(balancer, "balancer");
    Objects.requireNonNull(connectTimeout, "connectTimeout");
    Objects.requireNonNull(idleTimeout, "idleTimeout");
    Objects.requireNonNull(limits, "limits");
    Objects.requireNonNull(outlierDetection, "outlierDetection");
    endpoints = List.copyOf(endpoints);
  }

  /** The protocol spoken to the cluster's endpoints. */
  public enum Protocol {
    HTTP1,
    HTTP2,
    TCP
  }

  public enum BalancerPolicy {
    ROUND_ROBIN,
    LEAST_REQUEST,
    RANDOM,
    RING_HASH
  }

  /** Circuit-breaking thresholds: past them, calls fail fast. */
  public record Limits(
      int maxConnections, int maxPendingRequests, int maxRequests, int maxRetries) {
    public static final Limits DEFAULT = new Limits(1024, 1024, 1024, 3);
  }

  /** Consecutive-error ejection; zero thresholds disable it. */
  public record OutlierDetection(
      int consecutive5xx,
      int consecutiveGatewayErrors,
      Duration interval,
      Duration baseEjectionTime,
      int maxEjectionPercent) {
    public static final OutlierDetection DISABLED =
        new OutlierDetection(0, 0, Duration.ofSeconds(10), Duration.ofSeconds(30), 10);

    public boolean enabled() {
      return consecutive5xx > 0 || consecutiveGatewayErrors > 0;
    }
  }
}
