package dev.firemesh.traffic.route;

import dev.firemesh.traffic.balance.ClusterState;
import dev.firemesh.traffic.balance.PickContext;
import dev.firemesh.traffic.balance.UpstreamEndpoint;
import dev.firemesh.traffic.balance.XxHash64;
import dev.firemesh.traffic.circuit.Limit;
import dev.firemesh.traffic.config.ClusterConfig;
import dev.firemesh.traffic.config.DataPlaneConfig;
import dev.firemesh.traffic.config.DirectResponse;
import dev.firemesh.traffic.config.Redirect;
import dev.firemesh.traffic.config.RequestView;
import dev.firemesh.traffic.config.RouteAction;
import dev.firemesh.traffic.config.RouteAction.WeightedCluster;
import dev.firemesh.traffic.config.RouteEntry;
import dev.firemesh.traffic.config.VirtualService;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
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
 * accepts the request; a route that redirects or answers directly ends there ({@link
 * RouteResult.Redirected}, {@link RouteResult.Answered}); else one of the route's clusters drawn at
 * random in proportion to the weights (clusters of weight zero or less are never drawn), or, when
 * the route has a sticky key and the request a value for it, chosen by the value's XXH64 hash; one
 * endpoint of that cluster picked by the cluster's balancer among the endpoints of its most
 * preferred priority level (for ring hash and Maglev, keyed on the value of the route's {@code
 * hashHeader}; random when the route names none or the request lacks it). The {@link
 * RouteResult.Routed} result holds a lease counting the request against the endpoint until closed,
 * and the mirror endpoints drawn for this request. A route whose clusters all weigh zero (or that
 * has none) yields {@code UnknownCluster("")}.
 *
 * <p>Updates keep the balancing state of clusters whose configuration did not change and the
 * in-flight counts and health of endpoints (same cluster name, same {@code host:port}) that stay. A
 * lease opened before an update that removes its endpoint still closes against the old count, which
 * is then discarded.
 *
 * <p>Endpoint health: a lease closed with an {@link Outcome} feeds outlier detection; active check
 * results come in through {@link #recordHealthCheck}. When health changes, {@link #evaluateHealth}
 * or {@link #recordHealthCheck} publishes a new snapshot whose clusters balance over the healthy
 * endpoints (see {@link ClusterState}), so a request never asks about health. Those writers and
 * {@link #update} are serialized on one lock, which requests never take; time comes from the
 * router's clock, so tests can drive it.
 */
public final class SnapshotRouter implements Router {
  private static final int MAX_DRAWS = 8;

  private final Supplier<RandomGenerator> random;
  private final InstantSource clock;
  private final Object updates = new Object();
  private final Runnable healthSignal = this::healthDue;
  private volatile Runnable onHealthDue = () -> {};
  private volatile Snapshot snapshot;

  /** A router with no configuration yet: every service is unknown until {@link #update}. */
  public SnapshotRouter() {
    this(DataPlaneConfig.EMPTY);
  }

  public SnapshotRouter(DataPlaneConfig config) {
    this(config, ThreadLocalRandom::current, InstantSource.system());
  }

  /**
   * A router drawing from {@code random}, for reproducible tests. {@code random} must be
   * thread-safe if several threads route at once (for example {@link java.util.Random}).
   */
  public SnapshotRouter(DataPlaneConfig config, RandomGenerator random) {
    this(config, constant(random), InstantSource.system());
  }

  /** A router drawing from {@code random} and timing ejections by {@code clock}, for tests. */
  public SnapshotRouter(DataPlaneConfig config, RandomGenerator random, InstantSource clock) {
    this(config, constant(random), clock);
  }

  private SnapshotRouter(
      DataPlaneConfig config, Supplier<RandomGenerator> random, InstantSource clock) {
    this.random = random;
    this.clock = Objects.requireNonNull(clock, "clock");
    this.snapshot = Snapshot.EMPTY.next(config, healthSignal);
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
    return switch (route.action()) {
      case Redirect redirect -> new RouteResult.Redirected(route, redirect);
      case DirectResponse response -> new RouteResult.Answered(route, response);
      case RouteAction action -> forward(current, route, action, request);
    };
  }

  private RouteResult forward(
      Snapshot current, RouteEntry route, RouteAction action, RequestView request) {
    RandomGenerator randomness = random.get();
    int chosen = chooseCluster(action.clusters(), stickyHash(action, request), randomness);
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
    return admit(
        route,
        cluster,
        current.runtimes().get(clusterName),
        picked.get(),
        mirrors(current, action, randomness));
  }

  /** Takes a request slot from the cluster's breaker and leases the endpoint, or overflows. */
  private static RouteResult admit(
      RouteEntry route,
      ClusterState cluster,
      ClusterRuntime runtime,
      UpstreamEndpoint upstream,
      List<RouteResult.MirrorTarget> mirrors) {
    if (!runtime.breaker().tryAcquireRequest()) {
      return new RouteResult.Overflow(cluster.config().name(), Limit.MAX_REQUESTS);
    }
    return new RouteResult.Routed(
        route,
        cluster.config(),
        upstream.endpoint(),
        EndpointLease.open(upstream.activeRequests(), runtime.breaker(), upstream.health()),
        runtime,
        mirrors);
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
    PickContext context = pickContext(cluster, previous.action(), request, randomness);
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
    // A retry is not copied again: the mirrors had the request with its first try.
    return admit(previous.route(), cluster, current.runtimes().get(clusterName), chosen, List.of());
  }

  /**
   * The mirrors this request is copied to: each drawn by its percentage, to an endpoint its
   * cluster's balancer picks. A mirror whose cluster is unknown or empty is left out: a copy is
   * never worth failing or delaying the request for.
   */
  private static List<RouteResult.MirrorTarget> mirrors(
      Snapshot current, RouteAction action, RandomGenerator random) {
    if (action.mirrors().isEmpty()) {
      return List.of();
    }
    List<RouteResult.MirrorTarget> targets = new ArrayList<>(action.mirrors().size());
    for (RouteAction.Mirror mirror : action.mirrors()) {
      if (mirror.percent() < 100 && random.nextDouble() * 100 >= mirror.percent()) {
        continue;
      }
      ClusterState cluster = current.clusters().get(mirror.cluster());
      if (cluster == null) {
        continue;
      }
      cluster
          .pick(PickContext.of(random))
          .ifPresent(
              picked ->
                  targets.add(new RouteResult.MirrorTarget(cluster.config(), picked.endpoint())));
    }
    return targets;
  }

  /** The hash of the request's sticky value, or empty for a random draw. */
  private static OptionalLong stickyHash(RouteAction action, RequestView request) {
    if (action.clusters().size() < 2) {
      return OptionalLong.empty();
    }
    return action
        .sticky()
        .valueIn(request)
        .map(value -> OptionalLong.of(XxHash64.hash(value)))
        .orElse(OptionalLong.empty());
  }

  @Override
  public void update(DataPlaneConfig config) {
    Objects.requireNonNull(config, "config");
    // Updates are rare and come from one xDS client; serializing them keeps counters from forking.
    synchronized (updates) {
      snapshot = snapshot.next(config, healthSignal);
    }
  }

  @Override
  public void evaluateHealth() {
    synchronized (updates) {
      Snapshot current = snapshot;
      Map<String, ClusterState> changed = null;
      var now = clock.instant();
      for (Map.Entry<String, ClusterState> entry : current.clusters().entrySet()) {
        if (entry.getValue().health().evaluate(now)) {
          if (changed == null) {
            changed = new HashMap<>(current.clusters());
          }
          changed.put(entry.getKey(), entry.getValue().rebalanced());
        }
      }
      if (changed != null) {
        snapshot = new Snapshot(current.config(), Map.copyOf(changed), current.runtimes());
      }
    }
  }

  @Override
  public void recordHealthCheck(String cluster, String hostPort, boolean passed) {
    synchronized (updates) {
      Snapshot current = snapshot;
      ClusterState state = current.clusters().get(cluster);
      if (state != null && state.health().recordCheck(hostPort, passed)) {
        Map<String, ClusterState> changed = new HashMap<>(current.clusters());
        changed.put(cluster, state.rebalanced());
        snapshot = new Snapshot(current.config(), Map.copyOf(changed), current.runtimes());
      }
    }
  }

  @Override
  public void onHealthDue(Runnable callback) {
    this.onHealthDue = Objects.requireNonNull(callback, "callback");
  }

  private void healthDue() {
    onHealthDue.run();
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
    return chooseCluster(clusters, OptionalLong.empty(), random);
  }

  /**
   * The index of a cluster drawn in proportion to weight, or -1 if no cluster weighs anything. With
   * a {@code hash}, the draw is the hash's place in the unsigned 64-bit range scaled to the total
   * weight: the same value always lands on the same cluster, and changing the weights moves only
   * the values whose place crosses a boundary (from 90/10 to 80/20, one user in ten, all of them
   * from the first cluster to the second).
   */
  static int chooseCluster(
      List<WeightedCluster> clusters, OptionalLong hash, RandomGenerator random) {
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
    long ticket =
        hash.isPresent()
            ? Math.unsignedMultiplyHigh(hash.getAsLong(), total)
            : random.nextLong(total);
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

    Snapshot next(DataPlaneConfig next, Runnable healthSignal) {
      Map<String, ClusterState> states = HashMap.newHashMap(next.clusters().size());
      Map<String, ClusterRuntime> live = HashMap.newHashMap(next.clusters().size());
      for (Map.Entry<String, ClusterConfig> entry : next.clusters().entrySet()) {
        ClusterState previous = clusters.get(entry.getKey());
        states.put(
            entry.getKey(),
            previous == null
                ? ClusterState.create(entry.getValue(), healthSignal)
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
