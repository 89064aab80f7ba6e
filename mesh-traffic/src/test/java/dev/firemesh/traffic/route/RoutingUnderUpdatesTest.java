package dev.firemesh.traffic.route;

import static dev.firemesh.traffic.route.Configs.cluster;
import static dev.firemesh.traffic.route.Configs.config;
import static dev.firemesh.traffic.route.Configs.endpoint;
import static dev.firemesh.traffic.route.Configs.route;
import static dev.firemesh.traffic.route.Configs.service;
import static dev.firemesh.traffic.route.Configs.to;
import static org.assertj.core.api.Assertions.assertThat;

import dev.firemesh.traffic.balance.ActiveRequests;
import dev.firemesh.traffic.balance.UpstreamEndpoint;
import dev.firemesh.traffic.config.ClusterConfig.BalancerPolicy;
import dev.firemesh.traffic.config.DataPlaneConfig;
import dev.firemesh.traffic.config.Endpoint;
import dev.firemesh.traffic.config.RequestMatch;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * Several threads route and close leases (some held across updates, some closed twice) while
 * another thread keeps replacing the configuration: nothing fails, every request is routed, and
 * every in-flight count ever created, including those of endpoints since removed, ends at zero.
 */
class RoutingUnderUpdatesTest {
  private static final Endpoint E1 = endpoint("10.0.0.1", 80);
  private static final Endpoint E2 = endpoint("10.0.0.2", 80);
  private static final Endpoint E3 = endpoint("10.0.0.3", 80, 3);
  private static final Endpoint E4 = endpoint("10.0.0.4", 80);

  @Test
  void routingWhileTheConfigurationChangesLosesNoCount() throws Exception {
    List<DataPlaneConfig> configs =
        List.of(
            configuration("1", BalancerPolicy.LEAST_REQUEST, E1, E2, E3),
            configuration("2", BalancerPolicy.RING_HASH, E2, E3, E4),
            configuration("3", BalancerPolicy.ROUND_ROBIN, E1, E4),
            configuration("4", BalancerPolicy.RANDOM, E1, E2, E3, E4));
    SnapshotRouter router = new SnapshotRouter(configs.get(0));
    Set<ActiveRequests> everyCounter = Collections.newSetFromMap(new IdentityHashMap<>());
    collectCounters(router, everyCounter);

    int routers = 3;
    AtomicBoolean routing = new AtomicBoolean(true);
    try (ExecutorService threads = Executors.newFixedThreadPool(routers + 1)) {
      Future<Integer> updater =
          threads.submit(
              () -> {
                int updates = 0;
                while (routing.get()) {
                  router.update(configs.get(++updates % configs.size()));
                  collectCounters(router, everyCounter);
                  Thread.yield();
                }
                return updates;
              });
      try {
        List<Future<Integer>> workers = new ArrayList<>();
        for (int t = 0; t < routers; t++) {
          workers.add(threads.submit(() -> routeAndClose(router, 40_000)));
        }
        for (Future<Integer> worker : workers) {
          assertThat(worker.get()).as("requests routed").isEqualTo(40_000);
        }
      } finally {
        routing.set(false);
      }
      assertThat(updater.get()).isPositive();
    }

    collectCounters(router, everyCounter);
    assertThat(everyCounter).hasSizeGreaterThanOrEqualTo(4);
    assertThat(everyCounter).allSatisfy(counter -> assertThat(counter.count()).isZero());
  }

  /** Routes {@code requests} requests, holding up to 16 leases open at a time; the routed count. */
  private static int routeAndClose(SnapshotRouter router, int requests) {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    RequestLease[] open = new RequestLease[16];
    int routed = 0;
    for (int i = 0; i < requests; i++) {
      Request request = Request.get("/").with("x-account", "acct-" + random.nextInt(100));
      if (router.route("orders", request) instanceof RouteResult.Routed r) {
        routed++;
        int slot = random.nextInt(open.length);
        if (open[slot] != null) {
          open[slot].close();
          if (random.nextInt(8) == 0) {
            open[slot].close();
          }
        }
        open[slot] = r.lease();
      }
    }
    for (RequestLease lease : open) {
      if (lease != null) {
        lease.close();
      }
    }
    return routed;
  }

  private static void collectCounters(SnapshotRouter router, Set<ActiveRequests> counters) {
    for (String cluster : List.of("main", "side")) {
      router
          .cluster(cluster)
          .ifPresent(
              state -> {
                for (UpstreamEndpoint upstream : state.endpoints()) {
                  counters.add(upstream.activeRequests());
                }
              });
    }
  }

  private static DataPlaneConfig configuration(
      String version, BalancerPolicy policy, Endpoint... endpoints) {
    return config(
        version,
        List.of(
            service(
                "orders", route("r", RequestMatch.ANY, "x-account", to("main", 3), to("side", 1)))),
        List.of(
            cluster("main", policy, endpoints),
            cluster("side", BalancerPolicy.LEAST_REQUEST, endpoints[0])));
  }
}
