package dev.firemesh.traffic.balance;

import dev.firemesh.traffic.config.ClusterConfig;
import dev.firemesh.traffic.config.Endpoint;
import dev.firemesh.traffic.health.ClusterHealth;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeMap;

/**
 * One cluster as the data plane balances it: its configuration, its endpoints with their in-flight
 * counts and health, and the balancer over the endpoints it sends to.
 *
 * <p>Which endpoints those are: the control plane ranks priority levels by proximity (the caller's
 * own zone at priority 0, its region next, the rest last), and the cluster sends to the first level
 * whose share of healthy endpoints (neither ejected by outlier detection nor failing an active
 * health check) is at least the panic threshold, balancing over its healthy endpoints only. If no
 * level has that share, the cluster is in panic, as Envoy calls it: it balances over every endpoint
 * of the first level that still has a healthy one (or of the first level, if none has), because
 * sending to a few presumed-bad endpoints beats overloading the last healthy one or refusing every
 * call. A threshold of 0 never panics: with no healthy endpoint at all, nothing is picked. A level
 * fails over whole; Envoy's gradual spill by overprovisioning is not modelled.
 *
 * <p>Immutable apart from the counters, the health and the balancer's own position; a configuration
 * update makes a new state with {@link #withConfig}, and a change of health one with {@link
 * #rebalanced}. Both carry the counters and health of the endpoints that stay (same {@code
 * host:port}), so that in-flight requests keep counting against them and ejections last.
 */
public final class ClusterState {
  private final ClusterConfig config;
  private final List<UpstreamEndpoint> endpoints;
  private final List<UpstreamEndpoint> serving;
  private final boolean panic;
  private final Map<String, ActiveRequests> activeByHostPort;
  private final ClusterHealth health;
  private final Balancer balancer;

  private ClusterState(
      ClusterConfig config, Map<String, ActiveRequests> previous, ClusterHealth health) {
    Map<String, ActiveRequests> active = HashMap.newHashMap(config.endpoints().size());
    List<UpstreamEndpoint> upstreams = new ArrayList<>(config.endpoints().size());
    for (Endpoint endpoint : config.endpoints()) {
      // An address listed twice is one server: both entries share its count and health.
      ActiveRequests requests =
          active.computeIfAbsent(
              endpoint.hostPort(),
              hostPort -> {
                ActiveRequests surviving = previous.get(hostPort);
                return surviving != null ? surviving : new ActiveRequests();
              });
      upstreams.add(new UpstreamEndpoint(endpoint, requests, health.endpoint(endpoint.hostPort())));
    }
    this.config = config;
    this.endpoints = List.copyOf(upstreams);
    this.health = health;
    Serving chosen = serving(endpoints, config.panicThreshold());
    this.serving = chosen.endpoints();
    this.panic = chosen.panic();
    this.activeByHostPort = Map.copyOf(active);
    this.balancer = Balancer.create(config.balancer(), serving, config.maglevTableSize());
  }

  /**
   * The state of a cluster seen for the first time: every count at zero, every endpoint healthy.
   */
  public static ClusterState create(ClusterConfig config) {
    return create(config, () -> {});
  }

  /**
   * As {@link #create(ClusterConfig)}; {@code healthSignal} is called on a request thread when an
   * endpoint crosses a consecutive-error threshold (see {@link ClusterHealth#create}).
   */
  public static ClusterState create(ClusterConfig config, Runnable healthSignal) {
    return new ClusterState(config, Map.of(), ClusterHealth.create(config, healthSignal));
  }

  /**
   * The state for the same cluster under {@code next}: this very state if nothing changed (the
   * balancer keeps its position), otherwise a new one sharing the counters and health of surviving
   * endpoints. Called by the health's writer (it reconciles the health with {@code next}).
   */
  public ClusterState withConfig(ClusterConfig next) {
    if (next.equals(config)) {
      return this;
    }
    health.reconcile(next);
    return new ClusterState(next, activeByHostPort, health);
  }

  /** The same cluster balanced over the endpoints healthy now, after its health changed. */
  public ClusterState rebalanced() {
    return new ClusterState(config, activeByHostPort, health);
  }

  public ClusterConfig config() {
    return config;
  }

  public List<UpstreamEndpoint> endpoints() {
    return endpoints;
  }

  /** The endpoints requests go to (see the class comment). */
  public List<UpstreamEndpoint> servingEndpoints() {
    return serving;
  }

  /**
   * Whether the serving level is balanced over unhealthy endpoints too, for want of healthy ones.
   */
  public boolean panic() {
    return panic;
  }

  /** The health of the cluster's endpoints, as of now (it changes under this state). */
  public ClusterHealth health() {
    return health;
  }

  /** Whether the balancer uses the request's hash key, so the router should find one. */
  public boolean hashesRequests() {
    return config.balancer().hashesRequests();
  }

  public Optional<UpstreamEndpoint> pick(PickContext context) {
    return balancer.pick(context);
  }

  private record Serving(List<UpstreamEndpoint> endpoints, boolean panic) {}

  private static Serving serving(List<UpstreamEndpoint> endpoints, double panicThreshold) {
    if (endpoints.isEmpty()) {
      return new Serving(endpoints, false);
    }
    TreeMap<Integer, List<UpstreamEndpoint>> levels = new TreeMap<>();
    for (UpstreamEndpoint upstream : endpoints) {
      levels.computeIfAbsent(upstream.endpoint().priority(), p -> new ArrayList<>()).add(upstream);
    }
    List<UpstreamEndpoint> withHealthy = null;
    for (List<UpstreamEndpoint> level : levels.values()) {
      List<UpstreamEndpoint> healthy = new ArrayList<>(level.size());
      for (UpstreamEndpoint upstream : level) {
        if (upstream.health().healthy()) {
          healthy.add(upstream);
        }
      }
      if (healthy.isEmpty()) {
        continue;
      }
      if (100.0 * healthy.size() / level.size() >= panicThreshold) {
        return new Serving(
            healthy.size() == endpoints.size() ? endpoints : List.copyOf(healthy), false);
      }
      if (withHealthy == null) {
        withHealthy = level;
      }
    }
    if (panicThreshold == 0) {
      return new Serving(List.of(), false);
    }
    List<UpstreamEndpoint> level =
        withHealthy != null ? withHealthy : levels.firstEntry().getValue();
    return new Serving(level.size() == endpoints.size() ? endpoints : List.copyOf(level), true);
  }

  /** Requests in flight to {@code hostPort}; empty if the cluster has no such endpoint. */
  public OptionalInt activeRequests(String hostPort) {
    ActiveRequests requests = activeByHostPort.get(hostPort);
    return requests == null ? OptionalInt.empty() : OptionalInt.of(requests.count());
  }
}
