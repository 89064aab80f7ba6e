package dev.firemesh.traffic.balance;

import dev.firemesh.traffic.config.ClusterConfig;
import dev.firemesh.traffic.config.Endpoint;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * One cluster as the data plane balances it: its configuration, its endpoints with their in-flight
 * counts, and the balancer over the endpoints it sends to. Those are the endpoints of the lowest
 * priority level present: the control plane puts the caller's own zone at priority 0, its region
 * next, the rest last, so a cluster stays in the caller's zone while it has endpoints there and
 * fails over a level when it has none. (Levels are chosen by presence: the engine has no notion of
 * an unhealthy endpoint yet, so there is no partial spill-over as in Envoy's overprovisioning.)
 * Immutable apart from the counters and the balancer's own position; a configuration update makes a
 * new state with {@link #withConfig}, which carries the counters of the endpoints that stay (same
 * {@code host:port}) so that in-flight requests keep counting against them.
 */
public final class ClusterState {
  private final ClusterConfig config;
  private final List<UpstreamEndpoint> endpoints;
  private final List<UpstreamEndpoint> serving;
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
    this.serving = lowestPriority(endpoints);
    this.activeByHostPort = Map.copyOf(active);
    this.balancer = Balancer.create(config.balancer(), serving, config.maglevTableSize());
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

  /** The endpoints requests go to: those of the lowest priority level present. */
  public List<UpstreamEndpoint> servingEndpoints() {
    return serving;
  }

  /** Whether the balancer uses the request's hash key, so the router should find one. */
  public boolean hashesRequests() {
    return config.balancer().hashesRequests();
  }

  public Optional<UpstreamEndpoint> pick(PickContext context) {
    return balancer.pick(context);
  }

  private static List<UpstreamEndpoint> lowestPriority(List<UpstreamEndpoint> endpoints) {
    int lowest = Integer.MAX_VALUE;
    for (UpstreamEndpoint upstream : endpoints) {
      lowest = Math.min(lowest, upstream.endpoint().priority());
    }
    List<UpstreamEndpoint> level = new ArrayList<>();
    for (UpstreamEndpoint upstream : endpoints) {
      if (upstream.endpoint().priority() == lowest) {
        level.add(upstream);
      }
    }
    return level.size() == endpoints.size() ? endpoints : List.copyOf(level);
  }

  /** Requests in flight to {@code hostPort}; empty if the cluster has no such endpoint. */
  public OptionalInt activeRequests(String hostPort) {
    ActiveRequests requests = activeByHostPort.get(hostPort);
    return requests == null ? OptionalInt.empty() : OptionalInt.of(requests.count());
  }
}
