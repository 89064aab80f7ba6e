package dev.firemesh.traffic.route;

import static dev.firemesh.traffic.route.Configs.cluster;
import static dev.firemesh.traffic.route.Configs.config;
import static dev.firemesh.traffic.route.Configs.route;
import static dev.firemesh.traffic.route.Configs.service;
import static dev.firemesh.traffic.route.Configs.to;
import static org.assertj.core.api.Assertions.assertThat;

import dev.firemesh.traffic.config.ClusterConfig.BalancerPolicy;
import dev.firemesh.traffic.config.DataPlaneConfig;
import dev.firemesh.traffic.config.Endpoint;
import dev.firemesh.traffic.config.RequestMatch;
import dev.firemesh.traffic.locality.Locality;
import dev.firemesh.traffic.locality.LocalityPreference;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/**
 * A caller in zone {@code a} of {@code eu-west} calls a service with instances in its own zone, the
 * other zone of its region, and another region.
 */
class LocalityFailoverTest {
  private static final Endpoint ZONE_A_1 = at("10.0.1.1", "eu-west", "a");
  private static final Endpoint ZONE_A_2 = at("10.0.1.2", "eu-west", "a");
  private static final Endpoint ZONE_B_1 = at("10.0.2.1", "eu-west", "b");
  private static final Endpoint ZONE_B_2 = at("10.0.2.2", "eu-west", "b");
  private static final Endpoint US_1 = at("10.1.1.1", "us-east", "a");
  private static final Endpoint US_2 = at("10.1.1.2", "us-east", "b");
  private static final List<Endpoint> EVERYWHERE =
      List.of(US_1, ZONE_B_1, ZONE_A_1, US_2, ZONE_B_2, ZONE_A_2);
  private static final LocalityPreference CALLER =
      new LocalityPreference(new Locality("eu-west", "a"));

  @Property(tries = 5)
  void everyBalancerStaysInTheCallersZoneWhileItHasEndpointsThere(@ForAll BalancerPolicy policy) {
    SnapshotRouter router = router(policy, CALLER.ranked(EVERYWHERE));
    assertThat(endpointsReached(router)).containsExactlyInAnyOrder(ZONE_A_1, ZONE_A_2);
  }

  @Test
  void failsOverToTheRegionThenAnywhereAsLevelsEmpty() {
    SnapshotRouter router = router(BalancerPolicy.ROUND_ROBIN, CALLER.ranked(EVERYWHERE));

    router.update(configWith(CALLER.ranked(List.of(US_1, ZONE_B_1, US_2, ZONE_B_2))));
    assertThat(endpointsReached(router)).containsExactlyInAnyOrder(ZONE_B_1, ZONE_B_2);

    router.update(configWith(CALLER.ranked(List.of(US_1, US_2))));
    assertThat(endpointsReached(router)).containsExactlyInAnyOrder(US_1, US_2);

    router.update(configWith(CALLER.ranked(EVERYWHERE)));
    assertThat(endpointsReached(router)).containsExactlyInAnyOrder(ZONE_A_1, ZONE_A_2);
  }

  @Test
  void theRouterItselfSkipsAnEmptyLevelWhenPrioritiesHaveGaps() {
    // Priorities as a control plane might leave them: zone a gone, levels 1 and 2 remaining.
    List<Endpoint> ranked = CALLER.ranked(EVERYWHERE);
    List<Endpoint> withoutZoneA = ranked.stream().filter(e -> e.priority() > 0).toList();
    assertThat(withoutZoneA).extracting(Endpoint::priority).containsOnly(1, 2);

    SnapshotRouter router = router(BalancerPolicy.LEAST_REQUEST, withoutZoneA);
    assertThat(endpointsReached(router))
        .extracting(Endpoint::address)
        .containsExactlyInAnyOrder(ZONE_B_1.address(), ZONE_B_2.address());
  }

  @Test
  void aCallerOfUnknownLocalityOrAPolicyThatIgnoresLocalityUsesEveryEndpoint() {
    SnapshotRouter unknown =
        router(BalancerPolicy.RANDOM, new LocalityPreference(Locality.UNKNOWN).ranked(EVERYWHERE));
    assertThat(endpointsReached(unknown)).containsExactlyInAnyOrderElementsOf(EVERYWHERE);

    SnapshotRouter unranked = router(BalancerPolicy.RANDOM, EVERYWHERE);
    assertThat(endpointsReached(unranked)).containsExactlyInAnyOrderElementsOf(EVERYWHERE);
  }

  private static Set<Endpoint> endpointsReached(SnapshotRouter router) {
    Set<Endpoint> reached = new HashSet<>();
    for (int i = 0; i < 600; i++) {
      // A different key each time, so that the hashing balancers spread too.
      var routed =
          (RouteResult.Routed) router.route("orders", Request.get("/").with("x-key", "k" + i));
      routed.lease().close();
      reached.add(routed.endpoint());
    }
    return reached;
  }

  private static SnapshotRouter router(BalancerPolicy policy, List<Endpoint> endpoints) {
    return new SnapshotRouter(configWith(policy, endpoints), new Random(11));
  }

  private static DataPlaneConfig configWith(List<Endpoint> endpoints) {
    return configWith(BalancerPolicy.ROUND_ROBIN, endpoints);
  }

  private static DataPlaneConfig configWith(BalancerPolicy policy, List<Endpoint> endpoints) {
    return config(
        "1",
        List.of(service("orders", route("r", RequestMatch.ANY, "x-key", to("orders")))),
        List.of(cluster("orders", policy, endpoints.toArray(Endpoint[]::new))));
  }

  private static Endpoint at(String address, String region, String zone) {
    return new Endpoint(address, 8080, region, zone, 1);
  }
}
