package dev.firemesh.proxy.admin;

import dev.firemesh.traffic.balance.ClusterState;
import dev.firemesh.traffic.balance.UpstreamEndpoint;
import dev.firemesh.traffic.circuit.CircuitBreaker;
import dev.firemesh.traffic.circuit.Limit;
import dev.firemesh.traffic.config.ClusterConfig;
import dev.firemesh.traffic.config.DataPlaneConfig;
import dev.firemesh.traffic.config.Endpoint;
import dev.firemesh.traffic.route.Router;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What {@code GET /clusters} shows: every cluster of the configuration in force with its endpoints
 * as the router sees them now: locality, priority, weight, whether the balancer is sending to it
 * (the lowest priority level present) and its requests in flight.
 */
record ClusterStatus(
    String name,
    ClusterConfig.Protocol protocol,
    ClusterConfig.BalancerPolicy balancer,
    Duration connectTimeout,
    Duration idleTimeout,
    ClusterConfig.Limits limits,
    Circuit circuit,
    List<EndpointStatus> endpoints) {

  /** What the circuit breaker counts now, and how often each limit has refused something. */
  record Circuit(
      int activeRequests,
      int pendingRequests,
      int activeConnections,
      int activeRetries,
      Map<String, Long> overflows) {
    static final Circuit NONE = new Circuit(0, 0, 0, 0, Map.of());

    static Circuit of(CircuitBreaker breaker) {
      Map<String, Long> overflows = new LinkedHashMap<>();
      for (Limit limit : Limit.values()) {
        overflows.put(limit.wireName(), breaker.overflows(limit));
      }
      return new Circuit(
          breaker.requests(),
          breaker.pendingRequests(),
          breaker.connections(),
          breaker.retries(),
          overflows);
    }
  }

  record EndpointStatus(
      String address,
      String region,
      String zone,
      int priority,
      int weight,
      boolean serving,
      int activeRequests) {}

  static List<ClusterStatus> of(DataPlaneConfig config, Router router) {
    return config.clusters().values().stream()
        .map(
            cluster ->
                of(
                    cluster,
                    router.cluster(cluster.name()),
                    router
                        .runtime(cluster.name())
                        .map(r -> Circuit.of(r.breaker()))
                        .orElse(Circuit.NONE)))
        .sorted(java.util.Comparator.comparing(ClusterStatus::name))
        .toList();
  }

  private static ClusterStatus of(
      ClusterConfig cluster, Optional<ClusterState> state, Circuit circuit) {
    Set<String> serving = new HashSet<>();
    state.ifPresent(
        s -> {
          for (UpstreamEndpoint upstream : s.servingEndpoints()) {
            serving.add(upstream.endpoint().hostPort());
          }
        });
    List<EndpointStatus> endpoints =
        cluster.endpoints().stream()
            .sorted(java.util.Comparator.comparing(Endpoint::hostPort))
            .map(
                e ->
                    new EndpointStatus(
                        e.hostPort(),
                        e.region(),
                        e.zone(),
                        e.priority(),
                        e.weight(),
                        serving.contains(e.hostPort()),
                        state.flatMap(s -> boxed(s.activeRequests(e.hostPort()))).orElse(0)))
            .toList();
    return new ClusterStatus(
        cluster.name(),
        cluster.protocol(),
        cluster.balancer(),
        cluster.connectTimeout(),
        cluster.idleTimeout(),
        cluster.limits(),
        circuit,
        endpoints);
  }

  private static Optional<Integer> boxed(java.util.OptionalInt value) {
    return value.isPresent() ? Optional.of(value.getAsInt()) : Optional.empty();
  }
}
