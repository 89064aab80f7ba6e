package dev.firemesh.proxy.admin;

import dev.firemesh.traffic.balance.ClusterState;
import dev.firemesh.traffic.balance.UpstreamEndpoint;
import dev.firemesh.traffic.circuit.CircuitBreaker;
import dev.firemesh.traffic.circuit.Limit;
import dev.firemesh.traffic.config.ClusterConfig;
import dev.firemesh.traffic.config.DataPlaneConfig;
import dev.firemesh.traffic.config.Endpoint;
import dev.firemesh.traffic.health.EjectionReason;
import dev.firemesh.traffic.health.EndpointHealth;
import dev.firemesh.traffic.route.Router;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What {@code GET /clusters} shows: every cluster of the configuration in force with its endpoints
 * as the router sees them now: locality, priority, weight, whether the balancer is sending to it,
 * its requests in flight and its health (see {@link EndpointStatus}); for the cluster, its circuit
 * breaker and whether it is in panic (balancing over unhealthy endpoints for want of healthy ones).
 */
record ClusterStatus(
    String name,
    ClusterConfig.Protocol protocol,
    ClusterConfig.BalancerPolicy balancer,
    Duration connectTimeout,
    Duration idleTimeout,
    ClusterConfig.Limits limits,
    Circuit circuit,
    boolean panic,
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

  /**
   * @param health {@code healthy}, {@code ejected} (by outlier detection), {@code failing_check}
   *     (its active health check), or {@code ejected,failing_check}
   * @param ejectedUntil when the current ejection ends; null while not ejected
   * @param lastEjectionReason why it was last ejected ({@code consecutive_5xx}, {@code
   *     consecutive_gateway_errors}, {@code success_rate}); null if never
   * @param ejections how many times it has been ejected
   */
  record EndpointStatus(
      String address,
      String region,
      String zone,
      int priority,
      int weight,
      boolean serving,
      int activeRequests,
      String health,
      Optional<String> ejectedUntil,
      Optional<String> lastEjectionReason,
      long ejections) {}

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
                e -> {
                  Optional<EndpointHealth> health =
                      state.flatMap(s -> s.health().find(e.hostPort()));
                  return new EndpointStatus(
                      e.hostPort(),
                      e.region(),
                      e.zone(),
                      e.priority(),
                      e.weight(),
                      serving.contains(e.hostPort()),
                      state.flatMap(s -> boxed(s.activeRequests(e.hostPort()))).orElse(0),
                      health.map(ClusterStatus::describe).orElse("healthy"),
                      health.flatMap(EndpointHealth::ejectedUntil).map(Instant::toString),
                      health.flatMap(EndpointHealth::lastEjectionReason).map(EjectionReason::label),
                      health.map(EndpointHealth::ejections).orElse(0L));
                })
            .toList();
    return new ClusterStatus(
        cluster.name(),
        cluster.protocol(),
        cluster.balancer(),
        cluster.connectTimeout(),
        cluster.idleTimeout(),
        cluster.limits(),
        circuit,
        state.map(ClusterState::panic).orElse(false),
        endpoints);
  }

  private static String describe(EndpointHealth health) {
    if (health.healthy()) {
      return "healthy";
    }
    if (health.ejected() && health.failingActiveCheck()) {
      return "ejected,failing_check";
    }
    return health.ejected() ? "ejected" : "failing_check";
  }

  private static Optional<Integer> boxed(java.util.OptionalInt value) {
    return value.isPresent() ? Optional.of(value.getAsInt()) : Optional.empty();
  }
}
