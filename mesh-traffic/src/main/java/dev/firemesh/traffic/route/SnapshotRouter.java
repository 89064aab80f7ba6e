package dev.firemesh.traffic.route;

import dev.firemesh.traffic.balance.ClusterState;
import dev.firemesh.traffic.balance.PickContext;
import dev.firemesh.traffic.balance.UpstreamEndpoint;
import dev.firemesh.traffic.circuit.Limit;
import dev.firemesh.traffic.config.ClusterConfig;
import dev.firemesh.traffic.config.DataPlaneConfig;
import dev.firemesh.traffic.config.RequestView;
import dev.firemesh.traffic.config.RouteAction;
import dev.firemesh.traffic.config.RouteAction.WeightedCluster;
import dev.firemesh.traffic.config.RouteEntry;
import dev.firemesh.traffic.config.VirtualService;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * The router of the data plane: routes each request under one immutable snapshot of the
 * configuration and of the clusters' balancing state, read with one volatile load; {@link #update}
 * builds the next snapshot and publishes it atomically, so a request never sees half of an update
 * and {@link #route} never locks.
 *
 * <p>Routing a request: the virtual service named {@code service}; its first route whose match
 * accepts the request; one of the route's clusters drawn at random in proportion to the weights
 * (clusters of weight zero or less are never drawn); one endpoint of that cluster picked by the
 * cluster's balancer among the endpoints of its most preferred priority level (for ring hash and
 * Maglev, keyed on the value of the route's {@code hashHeader}; random when the route names none or
 * the request lacks it). The {@link RouteResult.Routed} result holds a lease counting the request
 * against the endpoint until closed. A route whose clusters all weigh zero (or that has none)
 * yields {@code UnknownCluster("")}.
 *
 * <p>Updates keep the balancing state of clusters whose configuration did not change and the
 * in-flight counts of endpoints (same cluster name, same {@code host:port}) that stay. A lease
 * opened before an update that removes its endpoint still closes against the old count, which is
 * then discarded.
 */
public final class SnapshotRouter implements Router {
  private static final int MAX_DRAWS = 8;

  private final Supplier<RandomGenerator> random;
  private final Object updates = new Object();
  private volatile Snapshot snapshot;

  /** A router with no configuration yet: every service is unknown until {@link #update}. */
  public SnapshotRouter() {
    this(DataPlaneConfig.EMPTY);
  }

  public SnapshotRouter(DataPlaneConfig config) {
    this(config, ThreadLocalRandom::current);
  }

  /**
   * A router drawing from {@code random}, for reproducible tests. {@code random} must be
   * thread-safe if several threads route at once (for example {@link java.util.Random}).
   */
  public SnapshotRouter(DataPlaneConfig config, RandomGenerator random) {
    this(config, constant(random));
  }

  private SnapshotRouter(DataPlaneConfig config, Supplier<RandomGenerator> random) {
    this.random = random;
    this.snapshot = Snapshot.EMPTY.next(config);
  }

  private static Supplier<RandomGenerator> constant(RandomGenerator random) {
    Objects.requireNonNull(random, "random");
    return () -> random;
  }

  @Override
  public RouteResult route(String service, RequestView request) {
    Snapshot current = snapshot;
    VirtualService virtualService = current.config().services().get(service);
    if (virtualService == null) {
      return new RouteResult.UnknownService(service);
    }
    Optional<RouteEntry> selected = virtualService.select(request);
    if (selected.isEmpty()) {
      return new RouteResult.NoRoute(service);
    }
    RouteEntry route = selected.get();
    RouteAction action = route.action();
    RandomGenerator randomness = random.get();
    int chosen = chooseCluster(action.clusters(), randomness);
    if (chosen < 0) {
      return new RouteResult.UnknownCluster("");
    }
    String clusterName = action.clusters().get(chosen).cluster();
    ClusterState cluster = current.clusters().get(clusterName);
    if (cluster == null) {
      return new RouteResult.UnknownCluster(clusterName);
    }
    Optional<UpstreamEndpoint> picked =
        cluster.pick(pickContext(cluster, action, request, randomness));
    if (picked.isEmpty()) {
      return new RouteResult.NoEndpoint(clusterName);
    }
    return admit(route, cluster, current.runtimes().get(clusterName), picked.get());
  }

  /** Takes a request slot from the cluster's breaker and leases the endpoint, or overflows. */
  private static RouteResult admit(
      RouteEntry route, ClusterState cluster, ClusterRuntime runtime, UpstreamEndpoint upstream) {
    if (!runtime.breaker().tryAcquireRequest()) {
      return new RouteResult.Overflow(cluster.config().name(), Limit.MAX_REQUESTS);
    }
    return new RouteResult.Routed(
        route,
        cluster.config(),
        upstream.endpoint(),
        EndpointLease.open(upstream.activeRequests(), runtime.breaker()),
        runtime);
  }

  /**
   * Another endpoint of the cluster {@code previous} went to, for a retry: one whose {@code
   * host:port} is not in {@code avoid} if the balancer offers one within a few draws (it may well
   * offer a tried one again, as round robin over two endpoints does every other time), else
   * whatever it offers, since trying the same endpoint again beats not retrying. The caller closes
   * {@code previous}'s lease itself, before or after.
   */
  @Override
  public RouteResult retarget(RouteResult.Routed previous, RequestView request, Set<String> avoid) {
    Snapshot current = snapshot;
    String clusterName = previous.cluster().name();
    ClusterState cluster = current.clusters().get(clusterName);
    if (cluster == null) {
      return new RouteResult.UnknownCluster(clusterName);
    }
    RandomGenerator randomness = random.get();
    PickContext context = pickContext(cluster, previous.route().action(), request, randomness);
    UpstreamEndpoint chosen = null;
    for (int draw = 0; draw < MAX_DRAWS; draw++) {
      Optional<UpstreamEndpoint> picked = cluster.pick(context);
      if (picked.isEmpty()) {
        break;
      }
      chosen = picked.get();
      if (!avoid.contains(chosen.endpoint().hostPort())) {
        break;
      }
      if (cluster.hashesRequests()) {
        context = PickContext.of(randomness); // the same key picks the same endpoint every time
      }
    }
    if (chosen == null) {
      return new RouteResult.NoEndpoint(clusterName);
    }
    return admit(previous.route(), cluster, current.runtimes().get(clusterName), chosen);
  }

  @Override
  public void update(DataPlaneConfig config) {
    Objects.requireNonNull(config, "config");
    // Updates are rare and come from one xDS client; serializing them keeps counters from forking.
    synchronized (updates) {
      snapshot = snapshot.next(config);
    }
  }

  /** The configuration in force, for diagnostics ({@code config_dump}). */
  public DataPlaneConfig config() {
    return snapshot.config();
  }

  /** The balancing state of the cluster named {@code name}: its endpoints and in-flight counts. */
  @Override
  public Optional<ClusterState> cluster(String name) {
    return Optional.ofNullable(snapshot.clusters().get(name));
  }

  @Override
  public Optional<ClusterRuntime> runtime(String name) {
    return Optional.ofNullable(snapshot.runtimes().get(name));
  }

  private static PickContext pickContext(
      ClusterState cluster, RouteAction action, RequestView request, RandomGenerator random) {
    if (!cluster.hashesRequests() || action.hashHeader().isEmpty()) {
      return PickContext.of(random);
    }
    String header = action.hashHeader().toLowerCase(Locale.ROOT);
    return new PickContext(random, request.header(header).orElse(""));
  }

  /** The index of a cluster drawn in proportion to weight, or -1 if no cluster weighs anything. */
  static int chooseCluster(List<WeightedCluster> clusters, RandomGenerator random) {
    if (clusters.size() == 1) {
      return clusters.get(0).weight() > 0 ? 0 : -1;
    }
    long total = 0;
    for (int i = 0; i < clusters.size(); i++) {
      total += Math.max(0, clusters.get(i).weight());
    }
    if (total == 0) {
      return -1;
    }
    long ticket = random.nextLong(total);
    for (int i = 0; i < clusters.size(); i++) {
      int weight = Math.max(0, clusters.get(i).weight());
      if (ticket < weight) {
        return i;
      }
      ticket -= weight;
    }
    throw new AssertionError("ticket " + ticket + " beyond total weight " + total);
  }

  /**
   * A configuration, the balancing state of each of its clusters and their runtimes (breakers and
   * counters), by cluster name.
   */
  private record Snapshot(
      DataPlaneConfig config,
      Map<String, ClusterState> clusters,
      Map<String, ClusterRuntime> runtimes) {
    static final Snapshot EMPTY = new Snapshot(DataPlaneConfig.EMPTY, Map.of(), Map.of());

    Snapshot next(DataPlaneConfig next) {
      Map<String, ClusterState> states = HashMap.newHashMap(next.clusters().size());
      Map<String, ClusterRuntime> live = HashMap.newHashMap(next.clusters().size());
      for (Map.Entry<String, ClusterConfig> entry : next.clusters().entrySet()) {
        ClusterState previous = clusters.get(entry.getKey());
        states.put(
            entry.getKey(),
            previous == null
                ? ClusterState.create(entry.getValue())
                : previous.withConfig(entry.getValue()));
        ClusterRuntime runtime = runtimes.get(entry.getKey());
        if (runtime == null) {
          runtime = ClusterRuntime.create(entry.getValue());
        } else {
          runtime.breaker().limits(entry.getValue().limits());
        }
        live.put(entry.getKey(), runtime);
      }
      return new Snapshot(next, Map.copyOf(states), Map.copyOf(live));
    }
  }
}
