package dev.firemesh.traffic.config;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * A set of endpoints and how to use them: the upstream protocol, the balancing policy, connection
 * timeouts, circuit-breaking limits and outlier detection.
 *
 * @param maglevTableSize the size of a MAGLEV balancer's lookup table: a prime, at most {@value
 *     #MAX_MAGLEV_TABLE_SIZE} (Envoy's bound); ignored by the other balancers
 */
public record ClusterConfig(
    String name,
    Protocol protocol,
    BalancerPolicy balancer,
    Duration connectTimeout,
    Duration idleTimeout,
    Limits limits,
    OutlierDetection outlierDetection,
    List<Endpoint> endpoints,
    int maglevTableSize) {

  /** Envoy's default: a prime well above 100 entries per endpoint for clusters of hundreds. */
  public static final int DEFAULT_MAGLEV_TABLE_SIZE = 65_537;

  public static final int MAX_MAGLEV_TABLE_SIZE = 5_000_011;

  public ClusterConfig {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(protocol, "protocol");
    Objects.requireNonNull(balancer, "balancer");
    Objects.requireNonNull(connectTimeout, "connectTimeout");
    Objects.requireNonNull(idleTimeout, "idleTimeout");
    Objects.requireNonNull(limits, "limits");
    Objects.requireNonNull(outlierDetection, "outlierDetection");
    endpoints = List.copyOf(endpoints);
    if (!isMaglevTableSize(maglevTableSize)) {
      throw new IllegalArgumentException(
          "Maglev table size must be a prime of at most "
              + MAX_MAGLEV_TABLE_SIZE
              + ": "
              + maglevTableSize);
    }
  }

  /** A cluster whose MAGLEV table, if it balances by Maglev, has the default size. */
  public ClusterConfig(
      String name,
      Protocol protocol,
      BalancerPolicy balancer,
      Duration connectTimeout,
      Duration idleTimeout,
      Limits limits,
      OutlierDetection outlierDetection,
      List<Endpoint> endpoints) {
    this(
        name,
        protocol,
        balancer,
        connectTimeout,
        idleTimeout,
        limits,
        outlierDetection,
        endpoints,
        DEFAULT_MAGLEV_TABLE_SIZE);
  }

  /** Whether {@code size} is a valid Maglev table size: prime, and no larger than Envoy allows. */
  public static boolean isMaglevTableSize(long size) {
    if (size < 2 || size > MAX_MAGLEV_TABLE_SIZE) {
      return false;
    }
    for (long divisor = 2; divisor * divisor <= size; divisor++) {
      if (size % divisor == 0) {
        return false;
      }
    }
    return true;
  }

  /** The same cluster with {@code next} as its endpoints. */
  public ClusterConfig withEndpoints(List<Endpoint> next) {
    return new ClusterConfig(
        name,
        protocol,
        balancer,
        connectTimeout,
        idleTimeout,
        limits,
        outlierDetection,
        next,
        maglevTableSize);
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
    RING_HASH,
    MAGLEV;

    /** Whether the policy hashes a key of the request (consistent hashing). */
    public boolean hashesRequests() {
      return this == RING_HASH || this == MAGLEV;
    }
  }

  /**
   * Circuit-breaking thresholds: past them, calls fail fast. A positive {@code retryBudgetPercent}
   * bounds the retries in flight by that share of the requests in flight (at least {@code
   * minRetryConcurrency}) instead of by {@code maxRetries}, as Envoy's {@code retry_budget} does.
   */
  public record Limits(
      int maxConnections,
      int maxPendingRequests,
      int maxRequests,
      int maxRetries,
      double retryBudgetPercent,
      int minRetryConcurrency) {
    public static final Limits DEFAULT = new Limits(1024, 1024, 1024, 3);

    /** Limits without a retry budget. */
    public Limits(int maxConnections, int maxPendingRequests, int maxRequests, int maxRetries) {
      this(maxConnections, maxPendingRequests, maxRequests, maxRetries, 0, 3);
    }

    public boolean hasRetryBudget() {
      return retryBudgetPercent > 0;
    }
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
