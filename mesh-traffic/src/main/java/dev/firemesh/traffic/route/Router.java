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
