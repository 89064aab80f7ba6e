package dev.firemesh.traffic.config;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * A set of endpoints and how to use them: the upstream protocol, the balancing policy, connection
 * timeouts, circuit-breaking limits, outlier detection and active health checking.
 *
 * @param maglevTableSize the size of a MAGLEV balancer's lookup table: a prime, at most {@value
 *     #MAX_MAGLEV_TABLE_SIZE} (Envoy's bound); ignored by the other balancers
 * @param healthCheck the active health check the data plane runs against each endpoint
 * @param panicThreshold a percentage, 0 to 100: when fewer of a priority level's endpoints than
 *     this are healthy, the level is balanced over all its endpoints, healthy or not (Envoy's
 *     healthy panic threshold); 0 never panics
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
    int maglevTableSize,
    HealthCheck healthCheck,
    double panicThreshold) {

  /** Envoy's default: a prime well above 100 entries per endpoint for clusters of hundreds. */
  public static final int DEFAULT_MAGLEV_TABLE_SIZE = 65_537;

  public static final int MAX_MAGLEV_TABLE_SIZE = 5_000_011;

  /** Envoy's default healthy panic threshold, in percent. */
  public static final double DEFAULT_PANIC_THRESHOLD = 50;

  public ClusterConfig {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(protocol, "protocol");
    Objects.requireNonNull(balancer, "balancer");
    Objects.requireNonNull(connectTimeout, "connectTimeout");
    Objects.requireNonNull(idleTimeout, "idleTimeout");
    Objects.requireNonNull(limits, "limits");
    Objects.requireNonNull(outlierDetection, "outlierDetection");
    Objects.requireNonNull(healthCheck, "healthCheck");
    endpoints = List.copyOf(endpoints);
    if (!(panicThreshold >= 0 && panicThreshold <= 100)) {
      throw new IllegalArgumentException(
          "panic threshold must be 0-100 percent: " + panicThreshold);
    }
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

  /** A cluster without active health checks, with the default panic threshold. */
  public ClusterConfig(
      String name,
      Protocol protocol,
      BalancerPolicy balancer,
      Duration connectTimeout,
      Duration idleTimeout,
      Limits limits,
      OutlierDetection outlierDetection,
      List<Endpoint> endpoints,
      int maglevTableSize) {
    this(
        name,
        protocol,
        balancer,
        connectTimeout,
        idleTimeout,
        limits,
        outlierDetection,
        endpoints,
        maglevTableSize,
        HealthCheck.DISABLED,
        DEFAULT_PANIC_THRESHOLD);
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
        maglevTableSize,
        healthCheck,
        panicThreshold);
  }

  /** The same cluster with {@code check} as its active health check. */
  public ClusterConfig withHealthCheck(HealthCheck check) {
    return new ClusterConfig(
        name,
        protocol,
        balancer,
        connectTimeout,
        idleTimeout,
        limits,
        outlierDetection,
        endpoints,
        maglevTableSize,
        check,
        panicThreshold);
  }

  /** The same cluster with {@code percent} as its healthy panic threshold. */
  public ClusterConfig withPanicThreshold(double percent) {
    return new ClusterConfig(
        name,
        protocol,
        balancer,
        connectTimeout,
        idleTimeout,
        limits,
        outlierDetection,
        endpoints,
        maglevTableSize,
        healthCheck,
        percent);
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

  /**
   * Passive health: which endpoints to eject, as Envoy's outlier detection. Consecutive 5xx (any
   * 5xx, or no answer) and consecutive gateway errors (502, 503, 504, or no answer) eject as soon
   * as the threshold is reached; zero disables either. Success-rate ejection runs every {@code
   * interval}. An ejection lasts {@code baseEjectionTime} times the number of times the endpoint
   * has been ejected (which falls by one each interval it stays in), at most {@code
   * maxEjectionTime} (or the base time, if longer). At most {@code maxEjectionPercent} of the
   * cluster's endpoints are ejected at once, but one always may be.
   */
  public record OutlierDetection(
      int consecutive5xx,
      int consecutiveGatewayErrors,
      Duration interval,
      Duration baseEjectionTime,
      int maxEjectionPercent,
      SuccessRate successRate,
      Duration maxEjectionTime) {
    /** Envoy's default cap on one ejection. */
    public static final Duration DEFAULT_MAX_EJECTION_TIME = Duration.ofSeconds(300);

    public static final OutlierDetection DISABLED =
        new OutlierDetection(0, 0, Duration.ofSeconds(10), Duration.ofSeconds(30), 10);

    public OutlierDetection {
      Objects.requireNonNull(interval, "interval");
      Objects.requireNonNull(baseEjectionTime, "baseEjectionTime");
      Objects.requireNonNull(successRate, "successRate");
      Objects.requireNonNull(maxEjectionTime, "maxEjectionTime");
      if (interval.isNegative() || interval.isZero()) {
        throw new IllegalArgumentException("outlier detection interval must be positive");
      }
      if (consecutive5xx < 0 || consecutiveGatewayErrors < 0) {
        throw new IllegalArgumentException("consecutive error thresholds must not be negative");
      }
      if (maxEjectionPercent < 0 || maxEjectionPercent > 100) {
        throw new IllegalArgumentException(
            "max ejection percent must be 0-100: " + maxEjectionPercent);
      }
    }

    /** Consecutive-error detection only, ejections capped at the default maximum time. */
    public OutlierDetection(
        int consecutive5xx,
        int consecutiveGatewayErrors,
        Duration interval,
        Duration baseEjectionTime,
        int maxEjectionPercent) {
      this(
          consecutive5xx,
          consecutiveGatewayErrors,
          interval,
          baseEjectionTime,
          maxEjectionPercent,
          SuccessRate.DISABLED,
          DEFAULT_MAX_EJECTION_TIME);
    }

    public boolean enabled() {
      return consecutive5xx > 0 || consecutiveGatewayErrors > 0 || successRate.enabled();
    }

    /** How long an endpoint ejected for the {@code times}-th time stays out. */
    public Duration ejectionTime(int times) {
      Duration cap =
          maxEjectionTime.compareTo(baseEjectionTime) > 0 ? maxEjectionTime : baseEjectionTime;
      Duration time = baseEjectionTime.multipliedBy(Math.max(1, times));
      return time.compareTo(cap) > 0 ? cap : time;
    }
  }

  /**
   * Success-rate ejection, evaluated every interval: among the endpoints that served at least
   * {@code requestVolume} requests in the interval, if there are at least {@code minimumHosts},
   * those whose success rate is below the mean minus {@code stdevFactor} standard deviations are
   * ejected.
   */
  public record SuccessRate(
      boolean enabled, int minimumHosts, int requestVolume, double stdevFactor) {
    /** Off, with Envoy's defaults for when it is turned on: 5 hosts, 100 requests, 1.9. */
    public static final SuccessRate DISABLED = new SuccessRate(false, 5, 100, 1.9);

    public SuccessRate {
      if (minimumHosts < 1 || requestVolume < 1) {
        throw new IllegalArgumentException(
            "success rate needs at least one host and one request: "
                + minimumHosts
                + ", "
                + requestVolume);
      }
      if (!(stdevFactor > 0) || Double.isInfinite(stdevFactor)) {
        throw new IllegalArgumentException("stdev factor must be positive: " + stdevFactor);
      }
    }
  }

  /**
   * An active health check, run by the data plane against every endpoint every {@code interval}: an
   * endpoint that fails {@code unhealthyThreshold} checks in a row leaves the balancer, and comes
   * back after {@code healthyThreshold} passes in a row. HTTP: {@code GET path} with {@code Host:
   * authority}, passing on 2xx; GRPC: {@code grpc.health.v1.Health/Check} with {@code :authority},
   * passing on SERVING; TCP: the connection opens. An interval of zero disables it.
   */
  public record HealthCheck(
      Type type,
      String path,
      String authority,
      Duration interval,
      Duration timeout,
      int unhealthyThreshold,
      int healthyThreshold) {
    public static final HealthCheck DISABLED =
        new HealthCheck(Type.TCP, "", "", Duration.ZERO, Duration.ofSeconds(1), 3, 2);

    public HealthCheck {
      Objects.requireNonNull(type, "type");
      Objects.requireNonNull(path, "path");
      Objects.requireNonNull(authority, "authority");
      Objects.requireNonNull(interval, "interval");
      Objects.requireNonNull(timeout, "timeout");
      if (interval.isNegative() || timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("health check interval and timeout must be positive");
      }
      if (unhealthyThreshold < 1 || healthyThreshold < 1) {
        throw new IllegalArgumentException("health check thresholds must be at least 1");
      }
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
