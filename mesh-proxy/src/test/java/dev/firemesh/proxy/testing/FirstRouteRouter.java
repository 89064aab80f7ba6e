package dev.firemesh.proxy.testing;

import dev.firemesh.traffic.config.ClusterConfig;
import dev.firemesh.traffic.config.DataPlaneConfig;
import dev.firemesh.traffic.config.Endpoint;
import dev.firemesh.traffic.config.RequestView;
import dev.firemesh.traffic.config.RouteEntry;
import dev.firemesh.traffic.config.VirtualService;
import dev.firemesh.traffic.route.RequestLease;
import dev.firemesh.traffic.route.RouteResult;
import dev.firemesh.traffic.route.Router;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A stand-in for the traffic engine's router: the first matching route, its first cluster, round
 * robin over the endpoints. Counts leases so tests can check each is closed exactly once.
 */
public final class FirstRouteRouter implements Router {

  private volatile DataPlaneConfig config = DataPlaneConfig.EMPTY;
  private final AtomicInteger next = new AtomicInteger();
  private final AtomicInteger openLeases = new AtomicInteger();
  private final AtomicInteger leasesGranted = new AtomicInteger();
  private final AtomicInteger extraCloses = new AtomicInteger();

  @Override
  public RouteResult route(String service, RequestView request) {
    DataPlaneConfig current = config;
    Optional<VirtualService> virtualService = current.service(service);
    if (virtualService.isEmpty()) {
      return new RouteResult.UnknownService(service);
    }
    Optional<RouteEntry> route = virtualService.get().select(request);
    if (route.isEmpty()) {
      return new RouteResult.NoRoute(service);
    }
    String clusterName = route.get().action().clusters().getFirst().cluster();
    Optional<ClusterConfig> cluster = current.cluster(clusterName);
    if (cluster.isEmpty()) {
      return new RouteResult.UnknownCluster(clusterName);
    }
    List<Endpoint> endpoints = cluster.get().endpoints();
    if (endpoints.isEmpty()) {
      return new RouteResult.NoEndpoint(clusterName);
    }
    Endpoint endpoint = endpoints.get(Math.floorMod(next.getAndIncrement(), endpoints.size()));
    return lease(route.get(), cluster.get(), endpoint);
  }

  /** Round robin again over the same cluster, skipping endpoints in {@code avoid} if it can. */
  @Override
  public RouteResult retarget(
      RouteResult.Routed previous, RequestView request, java.util.Set<String> avoid) {
    Optional<ClusterConfig> cluster = config.cluster(previous.cluster().name());
    if (cluster.isEmpty() || cluster.get().endpoints().isEmpty()) {
      return new RouteResult.NoEndpoint(previous.cluster().name());
    }
    List<Endpoint> endpoints = cluster.get().endpoints();
    Endpoint endpoint = null;
    for (int i = 0; i < endpoints.size(); i++) {
      endpoint = endpoints.get(Math.floorMod(next.getAndIncrement(), endpoints.size()));
      if (!avoid.contains(endpoint.hostPort())) {
        break;
      }
    }
    return lease(previous.route(), cluster.get(), endpoint);
  }

  private RouteResult.Routed lease(RouteEntry route, ClusterConfig cluster, Endpoint endpoint) {
    openLeases.incrementAndGet();
    leasesGranted.incrementAndGet();
    AtomicBoolean closed = new AtomicBoolean();
    RequestLease lease =
        () -> {
          if (closed.compareAndSet(false, true)) {
            openLeases.decrementAndGet();
          } else {
            extraCloses.incrementAndGet();
          }
        };
    return new RouteResult.Routed(route, cluster, endpoint, lease);
  }

  @Override
  public void update(DataPlaneConfig config) {
    this.config = config;
  }

  /** A fresh state of the cluster: this router keeps no balancing state. */
  @Override
  public java.util.Optional<dev.firemesh.traffic.balance.ClusterState> cluster(String name) {
    return java.util.Optional.ofNullable(config)
        .flatMap(c -> c.cluster(name))
        .map(dev.firemesh.traffic.balance.ClusterState::create);
  }

  public int openLeases() {
    return openLeases.get();
  }

  public int leasesGranted() {
    return leasesGranted.get();
  }

  /** Closes of a lease after its first: the contract says exactly once. */
  public int extraCloses() {
    return extraCloses.get();
  }
}
