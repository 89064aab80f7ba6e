package dev.firemesh.traffic.route;

import dev.firemesh.traffic.circuit.Limit;
import dev.firemesh.traffic.config.ClusterConfig;
import dev.firemesh.traffic.config.Endpoint;
import dev.firemesh.traffic.config.RouteEntry;

/** The outcome of routing one request. Every failure says what a caller should be told. */
public sealed interface RouteResult {

  /**
   * Send the request to {@code endpoint}. The caller must close {@code lease} exactly once when the
   * request ends (success or failure): it keeps the in-flight counts that balancing relies on.
   */
  record Routed(
      RouteEntry route,
      ClusterConfig cluster,
      Endpoint endpoint,
      RequestLease lease,
      ClusterRuntime runtime)
      implements RouteResult {

    /** A request outside circuit breaking, as tests build them. */
    public Routed(RouteEntry route, ClusterConfig cluster, Endpoint endpoint, RequestLease lease) {
      this(route, cluster, endpoint, lease, ClusterRuntime.unlimited());
    }
  }

  /** No virtual service of that name is configured (HTTP 404 / gRPC UNIMPLEMENTED-ish). */
  record UnknownService(String service) implements RouteResult {}

  /** The service exists but no route matches the request (HTTP 404). */
  record NoRoute(String service) implements RouteResult {}

  /** The route names a cluster the configuration does not have (HTTP 503). */
  record UnknownCluster(String cluster) implements RouteResult {}

  /** The cluster has no endpoint to send to (HTTP 503, "no healthy upstream"). */
  record NoEndpoint(String cluster) implements RouteResult {}

  /** The cluster's circuit breaker refused the request: {@code limit} is full (HTTP 503). */
  record Overflow(String cluster, Limit limit) implements RouteResult {}
}
