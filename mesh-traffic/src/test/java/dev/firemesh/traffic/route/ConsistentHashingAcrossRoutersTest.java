package dev.firemesh.traffic.route;

import static dev.firemesh.traffic.route.Configs.cluster;
import static dev.firemesh.traffic.route.Configs.config;
import static dev.firemesh.traffic.route.Configs.endpoint;
import static dev.firemesh.traffic.route.Configs.route;
import static dev.firemesh.traffic.route.Configs.service;
import static dev.firemesh.traffic.route.Configs.to;
import static org.assertj.core.api.Assertions.assertThat;

import dev.firemesh.traffic.config.ClusterConfig.BalancerPolicy;
import dev.firemesh.traffic.config.DataPlaneConfig;
import dev.firemesh.traffic.config.Endpoint;
import dev.firemesh.traffic.config.RequestMatch;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * Two routers that know the same endpoints (a sidecar and a chassis, or two sidecars) send a key to
 * the same endpoint, whatever order their configurations list the endpoints in, whatever their
 * randomness, and whatever configurations they went through before.
 */
class ConsistentHashingAcrossRoutersTest {

  @Property(tries = 20)
  void theSameKeyReachesTheSameEndpointFromEveryRouter(
      @ForAll("hashing") BalancerPolicy policy,
      @ForAll @IntRange(min = 1, max = 12) int size,
      @ForAll long seed) {
    List<Endpoint> endpoints = new ArrayList<>();
    for (int i = 0; i < size; i++) {
      endpoints.add(endpoint("10.0.3." + (i + 1), 9000 + i, 1 + i % 3));
    }
    List<Endpoint> shuffled = new ArrayList<>(endpoints);
    Collections.shuffle(shuffled, new Random(seed));

    SnapshotRouter sidecar = new SnapshotRouter(configWith(policy, endpoints), new Random(seed));
    SnapshotRouter chassis =
        new SnapshotRouter(configWith(policy, endpoints.subList(0, 1)), new Random(~seed));
    chassis.update(configWith(policy, shuffled));

    SplittableRandom keys = new SplittableRandom(seed);
    Set<Endpoint> reached = new HashSet<>();
    for (int i = 0; i < 300; i++) {
      Request request = Request.get("/").with("x-account", "acct-" + keys.nextLong());
      Endpoint fromSidecar = routed(sidecar, request);
      assertThat(routed(chassis, request)).as("%s", request).isEqualTo(fromSidecar);
      assertThat(routed(sidecar, request)).isEqualTo(fromSidecar);
      reached.add(fromSidecar);
    }
    assertThat(reached).as("keys spread over the endpoints").hasSize(size);
  }

  @net.jqwik.api.Provide
  net.jqwik.api.Arbitrary<BalancerPolicy> hashing() {
    return net.jqwik.api.Arbitraries.of(BalancerPolicy.RING_HASH, BalancerPolicy.MAGLEV);
  }

  private static Endpoint routed(SnapshotRouter router, Request request) {
    var routed = (RouteResult.Routed) router.route("accounts", request);
    routed.lease().close();
    return routed.endpoint();
  }

  private static DataPlaneConfig configWith(BalancerPolicy policy, List<Endpoint> endpoints) {
    return config(
        "1",
        List.of(service("accounts", route("r", RequestMatch.ANY, "X-Account", to("accounts")))),
        List.of(cluster("accounts", policy, endpoints.toArray(Endpoint[]::new))));
  }
}
