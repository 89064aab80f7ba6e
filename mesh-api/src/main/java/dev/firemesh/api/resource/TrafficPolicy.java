package dev.firemesh.api.resource;

import java.time.Duration;
import java.util.Objects;

/**
 * How callers treat the instances of a service (or of one subset): load balancing, connection
 * limits, circuit breaking, outlier detection and active health checks.
 *
 * <p>Every part has a {@code DEFAULT} value, used where the document leaves it out.
 */
public record TrafficPolicy(Metadata metadata, Spec spec) implements Resource {

  @Override
  public Kind kind() {
    return Kind.TRAFFIC_POLICY;
  }

  /** {@code subset} empty: the policy applies to every instance of the service. */
  public record Spec(
      String service,
      String subset,
      LoadBalancer loadBalancer,
      ConnectionPool connectionPool,
      CircuitBreaker circuitBreaker,
      OutlierDetection outlierDetection,
      HealthCheck healthCheck) {
    public Spec {
      Objects.requireNonNull(service, "service");
      Objects.requireNonNull(subset, "subset");
      Objects.requireNonNull(loadBalancer, "loadBalancer");
      Objects.requireNonNull(connectionPool, "connectionPool");
      Objects.requireNonNull(circuitBreaker, "circuitBreaker");
      Objects.requireNonNull(outlierDetection, "outlierDetection");
      Objects.requireNonNull(healthCheck, "healthCheck");
    }
  }

  /**
   * How a caller picks an instance. {@code hashHeader} is the request header whose value RING_HASH
   * and MAGLEV hash on; {@code tableSize} the size of MAGLEV's lookup table (a prime); with {@code
   * localityAware} a caller prefers instances in its own zone, then its own region, then anywhere,
   * moving on only when the nearer level has none.
   */
  public record LoadBalancer(
      Policy policy, String hashHeader, int tableSize, boolean localityAware) {
    /** Envoy's default: a prime well above 100 slots per instance for services of hundreds. */
    public static final int DEFAULT_TABLE_SIZE = 65_537;

    /** Envoy's bound on a Maglev table. */
    public static final int MAX_TABLE_SIZE = 5_000_011;

    public static final LoadBalancer DEFAULT =
        new LoadBalancer(Policy.ROUND_ROBIN, "", DEFAULT_TABLE_SIZE, true);

    public LoadBalancer {
      Objects.requireNonNull(policy, "policy");
      Objects.requireNonNull(hashHeader, "hashHeader");
    }

    /** A locality-aware balancer with the default table size. */
    public LoadBalancer(Policy policy, String hashHeader) {
      this(policy, hashHeader, DEFAULT_TABLE_SIZE, true);
    }

    public enum Policy {
      ROUND_ROBIN,
      LEAST_REQUEST,
      RANDOM,
      RING_HASH,
      MAGLEV;

      /** Whether the policy hashes a request header (consistent hashing). */
      public boolean hashes() {
        return this == RING_HASH || this == MAGLEV;
      }
    }

    /**
     * Whether {@code size} can be a Maglev table's: a prime no larger than {@link #MAX_TABLE_SIZE}.
     */
    public static boolean isTableSize(long size) {
      if (size < 2 || size > MAX_TABLE_SIZE) {
        return false;
      }
      for (long divisor = 2; divisor * divisor <= size; divisor++) {
        if (size % divisor == 0) {
          return false;
        }
      }
      return true;
    }
  }

  public record ConnectionPool(
      Duration connectTimeout, Duration idleTimeout, int maxRequestsPerConnection) {
    public static final ConnectionPool DEFAULT =
        new ConnectionPool(Duration.ofSeconds(5), Duration.ofMinutes(5), 0);

    public ConnectionPool {
      Objects.requireNonNull(connectTimeout, "connectTimeout");
      Objects.requireNonNull(idleTimeout, "idleTimeout");
    }
  }

  /**
   * Limits past which calls fail fast instead of queueing behind a failing service. With a {@code
   * retryBudget}, the retries in flight are bounded by a share of the requests in flight instead of
   * by {@code maxRetries} (as in Envoy).
   */
  public record CircuitBreaker(
      int maxConnections,
      int maxPendingRequests,
      int maxRequests,
      int maxRetries,
      RetryBudget retryBudget) {
    public static final CircuitBreaker DEFAULT =
        new CircuitBreaker(1024, 1024, 1024, 3, RetryBudget.NONE);

    public CircuitBreaker {
      Objects.requireNonNull(retryBudget, "retryBudget");
    }

    /** Limits without a retry budget. */
    public CircuitBreaker(
        int maxConnections, int maxPendingRequests, int maxRequests, int maxRetries) {
      this(maxConnections, maxPendingRequests, maxRequests, maxRetries, RetryBudget.NONE);
    }
  }

  /**
   * Retries in flight may be at most {@code percent} of the requests in flight, but {@code
   * minRetryConcurrency} are always allowed; {@link #NONE} (percent zero) leaves {@code maxRetries}
   * in charge.
   */
  public record RetryBudget(double percent, int minRetryConcurrency) {
    public static final RetryBudget NONE = new RetryBudget(0, 3);

    public boolean enabled() {
      return percent > 0;
    }
  }

  /** Ejects an instance after consecutive errors, for a time that grows with each ejection. */
  public record OutlierDetection(
      int consecutive5xx,
      int consecutiveGatewayErrors,
      Duration interval,
      Duration baseEjectionTime,
      int maxEjectionPercent) {
    /** Disabled: zero consecutive-error thresholds never eject. */
    public static final OutlierDetection DEFAULT =
        new OutlierDetection(0, 0, Duration.ofSeconds(10), Duration.ofSeconds(30), 10);

    public OutlierDetection {
      Objects.requireNonNull(interval, "interval");
      Objects.requireNonNull(baseEjectionTime, "baseEjectionTime");
    }

    public boolean enabled() {
      return consecutive5xx > 0 || consecutiveGatewayErrors > 0;
    }
  }

  /** Active health checking; {@code interval} zero disables it. */
  public record HealthCheck(
      Type type,
      String path,
      Duration interval,
      Duration timeout,
      int unhealthyThreshold,
      int healthyThreshold) {
    public static final HealthCheck DEFAULT =
        new HealthCheck(Type.TCP, "", Duration.ZERO, Duration.ofSeconds(1), 3, 2);

    public HealthCheck {
      Objects.requireNonNull(type, "type");
      Objects.requireNonNull(path, "path");
      Objects.requireNonNull(interval, "interval");
      Objects.requireNonNull(timeout, "timeout");
    }

    public boolean enabled() {
      return !interval.isZero();
    }

    public enum Type {
      HTTP,
      TCP,
      GRPC
    }
  }
}
