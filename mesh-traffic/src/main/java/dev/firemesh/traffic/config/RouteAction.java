package dev.firemesh.traffic.config;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Where a matched request is forwarded and under which rules: weighted clusters, an overall timeout
 * (zero: none), retries, injected faults, mirrors, for ring-hash clusters the header to hash on
 * (empty: none), the key that keeps a user on one weighted cluster ({@link StickyKey#NONE}: a
 * random draw per request), and the rewrites of the forwarded request's path and Host (empty:
 * kept).
 */
public record RouteAction(
    List<WeightedCluster> clusters,
    Duration timeout,
    Retry retry,
    Fault fault,
    List<Mirror> mirrors,
    String hashHeader,
    StickyKey sticky,
    PathRewrite pathRewrite,
    String hostRewrite)
    implements RouteEntry.Action {

  public RouteAction {
    clusters = List.copyOf(clusters);
    mirrors = List.copyOf(mirrors);
    Objects.requireNonNull(timeout, "timeout");
    Objects.requireNonNull(retry, "retry");
    Objects.requireNonNull(fault, "fault");
    Objects.requireNonNull(hashHeader, "hashHeader");
    Objects.requireNonNull(sticky, "sticky");
    Objects.requireNonNull(pathRewrite, "pathRewrite");
    Objects.requireNonNull(hostRewrite, "hostRewrite");
  }

  /** An action with no stickiness and no rewrites. */
  public RouteAction(
      List<WeightedCluster> clusters,
      Duration timeout,
      Retry retry,
      Fault fault,
      List<Mirror> mirrors,
      String hashHeader) {
    this(
        clusters, timeout, retry, fault, mirrors, hashHeader, StickyKey.NONE, PathRewrite.NONE, "");
  }

  /** Whether the forwarded request's path or Host changes. */
  public boolean rewrites() {
    return !(pathRewrite instanceof PathRewrite.None) || !hostRewrite.isEmpty();
  }

  /** A cluster and its relative weight among the action's clusters. */
  public record WeightedCluster(String cluster, int weight) {}

  /**
   * At most {@code maxRetries} retries, each try bounded by {@code perTryTimeout} (zero: only the
   * overall timeout), on the conditions named in {@code retryOn} (Envoy's names: {@code 5xx},
   * {@code gateway-error}, {@code reset}, {@code connect-failure}, {@code refused-stream}, gRPC
   * status names), backing off exponentially between {@code backoffBase} and {@code backoffMax}.
   */
  public record Retry(
      int maxRetries,
      Duration perTryTimeout,
      Set<String> retryOn,
      Duration backoffBase,
      Duration backoffMax) {
    public static final Retry NONE =
        new Retry(0, Duration.ZERO, Set.of(), Duration.ZERO, Duration.ZERO);

    public Retry {
      retryOn = Set.copyOf(retryOn);
    }
  }

  /** Delay and abort a share (0-100 %) of requests. */
  public record Fault(
      double delayPercent,
      Duration delay,
      double abortPercent,
      int abortHttpStatus,
      int abortGrpcStatus) {
    public static final Fault NONE = new Fault(0, Duration.ZERO, 0, 0, 0);

    public boolean enabled() {
      return delayPercent > 0 || abortPercent > 0;
    }
  }

  /** Copy a share (0-100 %) of requests to {@code cluster}; responses are discarded. */
  public record Mirror(String cluster, double percent) {}
}
