package dev.firemesh.traffic.route;

import dev.firemesh.traffic.circuit.Limit;
import dev.firemesh.traffic.config.ClusterConfig;
import dev.firemesh.traffic.config.DirectResponse;
import dev.firemesh.traffic.config.Endpoint;
import dev.firemesh.traffic.config.Redirect;
import dev.firemesh.traffic.config.RouteAction;
import dev.firemesh.traffic.config.RouteEntry;
import java.util.List;
import java.util.Objects;

/** The outcome of routing one request. Every failure says what a caller should be told. */
public sealed interface RouteResult {

  /**
   * Send the request to {@code endpoint}. The caller must close {@code lease} exactly once when the
   * request ends (success or failure): it keeps the in-flight counts that balancing relies on.
   * {@code mirrors} are where copies of this request go (already drawn by their percentages); they
   * hold no lease.
   */
  record Routed(
      RouteEntry route,
      ClusterConfig cluster,
      Endpoint endpoint,
      RequestLease lease,
      ClusterRuntime runtime,
      List<MirrorTarget> mirrors)
      implements RouteResult {
    public Routed {
      Objects.requireNonNull(route, "route");
      Objects.requireNonNull(lease, "lease");
      Objects.requireNonNull(runtime, "runtime");
      mirrors = List.copyOf(mirrors);
      if (!(route.action() instanceof RouteAction)) {
        throw new IllegalArgumentException("route " + route.name() + " does not forward");
      }
    }

    /** Sent to {@code endpoint} with no copies. */
    public Routed(
        RouteEntry route,
        ClusterConfig cluster,
        Endpoint endpoint,
        RequestLease lease,
        ClusterRuntime runtime) {
      this(route, cluster, endpoint, lease, runtime, List.of());
    }

    /** A request outside circuit breaking, as tests build them. */
    public Routed(RouteEntry route, ClusterConfig cluster, Endpoint endpoint, RequestLease lease) {
      this(route, cluster, endpoint, lease, ClusterRuntime.unlimited());
    }

    /** The forwarding action of the route (timeout, retries, fault, rewrites, mirrors). */
    public RouteAction action() {
      return (RouteAction) route.action();
    }
  }

  /** One endpoint of a mirror cluster, to which a copy of the request goes. */
  record MirrorTarget(ClusterConfig cluster, Endpoint endpoint) {}

  /** The route answers with a redirect; nothing is forwarded (HTTP 301-308 with Location). */
  record Redirected(RouteEntry route, Redirect redirect) implements RouteResult {}

  /** The route answers with a fixed status and body; nothing is forwarded. */
  record Answered(RouteEntry route, DirectResponse response) implements RouteResult {}

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
