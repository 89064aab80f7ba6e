package dev.firemesh.traffic.config;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Where a matched request goes and under which rules: weighted clusters, an overall timeout (zero:
 * none), retries, injected faults, mirrors, and for ring-hash clusters the header to hash on
 * (empty: none).
 */
public record RouteAction(
    List<WeightedCluster> clusters,
    Duration timeout,
    Retry retry,
    Fault fault,
    List<Mirror> mirrors,
    String hashHeader) {

  public RouteAction {
    clusters = List.copyOf(clusters);
    mirrors = List.copyOf(mirrors);
    Objects.requireNonNull(timeout, "timeout");
    Objects.requireNonNull(retry, "retry");
    Objects.requireNonNull(fault, "fault");
    Objects.requireNonNull(hashHeader, "hashHeader");
  }

  /** A cluster and its relative weight among the action's clusters. */
  public record WeightedCluster(String cluster, int weight) {}

  /**
   * At most {@code maxRetries} retries, each try bounded by {@code perTryTimeout} (zero: only the
   * overall timeout), on the conditions named in {@code retryOn} (Envoy's names: {@code 5xx},
   * {@code gateway-error}, {@code reset}, {@code connect-failure}, {@code refused-stream}, gRPC
   * status names), backing off exponentially between {@code backoffBase} and {@code backoffMax}. A
   * request is retried only if it matches one of {@code retriableRequests} (Envoy's {@code
   * retriable_request_headers}); when there are none, only idempotent methods are.
   */
  public record Retry(
      int maxRetries,
      Duration perTryTimeout,
      Set<String> retryOn,
      Duration backoffBase,
      Duration backoffMax,
      List<HeaderMatcher> retriableRequests) {
    public static final Retry NONE =
        new Retry(0, Duration.ZERO, Set.of(), Duration.ZERO, Duration.ZERO);

    public Retry {
      retryOn = Set.copyOf(retryOn);
      retriableRequests = List.copyOf(retriableRequests);
    }

    /** Retries of idempotent methods only. */
    public Retry(
        int maxRetries,
        Duration perTryTimeout,
        Set<String> retryOn,
        Duration backoffBase,
        Duration backoffMax) {
      this(maxRetries, perTryTimeout, retryOn, backoffBase, backoffMax, List.of());
    }
  }

  /**
   * Delay and abort a share (0-100 %) of requests; with {@code headers}, only of requests that
   * match all of them.
   */
  public record Fault(
      double delayPercent,
      Duration delay,
      double abortPercent,
      int abortHttpStatus,
      int abortGrpcStatus,
      List<HeaderMatcher> headers) {
    public static final Fault NONE = new Fault(0, Duration.ZERO, 0, 0, 0);

    public Fault {
      Objects.requireNonNull(delay, "delay");
      headers = List.copyOf(headers);
    }

    /** A fault for every request of the route. */
    public Fault(
        double delayPercent,
        Duration delay,
        double abortPercent,
        int abortHttpStatus,
        int abortGrpcStatus) {
      this(delayPercent, delay, abortPercent, abortHttpStatus, abortGrpcStatus, List.of());
    }

    public boolean enabled() {
      return delayPercent > 0 || abortPercent > 0;
    }

    /** Whether {@code request} is one the fault may hit. */
    public boolean applies(RequestView request) {
      for (HeaderMatcher header : headers) {
        if (!header.matches(request)) {
          return false;
        }
      }
      return true;
    }
  }

  /** Copy a share (0-100 %) of requests to {@code cluster}; responses are discarded. */
  public record Mirror(String cluster, double percent) {}
}
