package dev.firemesh.traffic.route;

import dev.firemesh.traffic.balance.ClusterState;
import dev.firemesh.traffic.config.DataPlaneConfig;
import dev.firemesh.traffic.config.RequestView;
import java.util.Optional;
import java.util.Set;

/**
 * Routes requests under the configuration in force. Implementations are thread-safe and do not
 * block; the sidecar calls them on its event loops.
 */
public interface Router {
  /** Routes one request addressed to {@code service}. */
  RouteResult route(String service, RequestView request);

  /** Makes {@code config} the configuration for every request routed from now on. */
  void update(DataPlaneConfig config);

  /**
   * The live state of cluster {@code name} (its endpoints with their requests in flight), for
   * reports such as the sidecar's {@code /clusters}; empty if the configuration has no such
   * cluster.
   */
  Optional<ClusterState> cluster(String name);

  /**
   * Does what endpoint health has due now: ejections of endpoints that crossed a consecutive-error
   * threshold, and each cluster's interval sweep (unejection, success rate). Call it periodically
   * (more often than the shortest outlier detection interval) and whenever {@link #onHealthDue}'s
   * callback asks, from one thread at a time; it does not block on requests.
   */
  default void evaluateHealth() {}

  /**
   * Applies the result of one active health check of endpoint {@code hostPort} of cluster {@code
   * cluster}; an endpoint that crosses its threshold leaves or rejoins the balancer at once.
   */
  default void recordHealthCheck(String cluster, String hostPort, boolean passed) {}

  /**
   * Registers what to call, on a request thread, when an endpoint crosses a consecutive-error
   * threshold: it should arrange for {@link #evaluateHealth} to run soon (on another thread or
   * later), and must not block.
   */
  default void onHealthDue(Runnable callback) {}

  /**
   * Another endpoint of the cluster {@code previous} was sent to, for a retry, preferring one not
   * in {@code avoid} ({@code host:port}s already tried). A new request slot is taken from the
   * cluster's circuit breaker: the result may be {@link RouteResult.Overflow}.
   */
  default RouteResult retarget(
      RouteResult.Routed previous, RequestView request, Set<String> avoid) {
    return new RouteResult.NoEndpoint(previous.cluster().name());
  }

  /** The breaker and counters of cluster {@code name}; empty if there is no such cluster. */
  default Optional<ClusterRuntime> runtime(String name) {
    return Optional.empty();
  }
}
