package dev.firemesh.traffic.balance;

import dev.firemesh.traffic.config.ClusterConfig;
import dev.firemesh.traffic.config.ClusterConfig.BalancerPolicy;
import dev.firemesh.traffic.config.Endpoint;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * One cluster as the data plane balances it: its configuration, its endpoints with their in-flight
 * counts, and the balancer over them. Immutable apart from the counters and the balancer's own
 * position; a configuration update makes a new state with {@link #withConfig}, which carries the
 * counters of the endpoints that stay (same {@code host:port}) so that in-flight requests keep
 * counting against them.
 */
public final class ClusterState {
  private final ClusterConfig config;
  private final List<UpstreamEndpoint> endpoints;
  private final Map<String, ActiveRequests> activeByHostPort;
  private final Balancer balancer;

  private ClusterState(ClusterConfig config, Map<String, ActiveRequests> previous) {
    Map<String, ActiveRequests> active = HashMap.newHashMap(config.endpoints().size());
    List<UpstreamEndpoint> upstreams = new ArrayList<>(config.endpoints().size());
    for (Endpoint endpoint : config.endpoints()) {
      // An address listed twice is one server: both entries share its count.
      ActiveRequests requests =
          active.computeIfAbsent(
              endpoint.hostPort(),
              hostPort -> {
                ActiveRequests surviving = previous.get(hostPort);
                return surviving != null ? surviving : new ActiveRequests();
              });
      upstreams.add(new UpstreamEndpoint(endpoint, requests));
    }
    this.config = config;
    this.endpoints = List.copyOf(upstreams);
    this.activeByHostPort = Map.copyOf(active);
    this.balancer = Balancer.create(config.balancer(), endpoints);
  }

  /** The state of a cluster seen for the first time: every count at zero. */
  public static ClusterState create(ClusterConfig config) {
    return new ClusterState(config, Map.of());
  }

  /**
   * The state for the same cluster under {@code next}: this very state if nothing changed (the
   * balancer keeps its position), otherwise a new one sharing the counters of surviving endpoints.
   */
  public ClusterState withConfig(ClusterConfig next) {
    return next.equals(config) ? this : new ClusterState(next, activeByHostPort);
  }

  public ClusterConfig config() {
    return config;
  }

  public List<UpstreamEndpoint> endpoints() {
    return endpoints;
  }

  /** Whether the balancer uses the request's hash key, so the router should find one. */
  public boolean hashesRequests() {
    return config.balancer() == BalancerPolicy.RING_HASH;
  }

  public Optional<UpstreamEndpoint> pick(PickContext context) {
    return balancer.pick(context);
  }

  /** Requests in flight to {@code hostPort}; empty if the cluster has no such endpoint. */
  public OptionalInt activeRequests(String hostPort) {
    ActiveRequests requests = activeByHostPort.get(hostPort);
    return requests == null ? OptionalInt.empty() : OptionalInt.of(requests.count());
  }
}
