package dev.firemesh.xds.translate;

import static dev.firemesh.xds.translate.Meshes.route;
import static dev.firemesh.xds.translate.Meshes.service;
import static dev.firemesh.xds.translate.Meshes.split;
import static org.assertj.core.api.Assertions.assertThat;

import dev.firemesh.api.registry.ServiceInstance;
import dev.firemesh.api.resource.Metadata;
import dev.firemesh.api.resource.Resource;
import dev.firemesh.api.resource.TrafficPolicy;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.endpoint.v3.LocalityLbEndpoints;
import io.envoyproxy.envoy.config.route.v3.RouteAction;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The TrafficPolicy's load balancer in xDS: Maglev, and endpoints ranked by the node's locality.
 */
class BalancingTranslationTest {
  private static final List<ServiceInstance> INSTANCES =
      List.of(
          instance("orders-1", "eu-west", "a"),
          instance("orders-2", "eu-west", "a"),
          instance("orders-3", "eu-west", "b"),
          instance("orders-4", "us-east", "a"));

  private static final NodeIdentity IN_ZONE_A = new NodeIdentity("n1", "web", "eu-west", "a");

  @Test
  void aNodeInZoneAGetsZoneAEndpointsAtPriorityZeroThenItsRegionThenTheRest() {
    Translation translation = translate(List.of(service("orders")));

    assertThat(prioritiesByLocality(translation.forNode(IN_ZONE_A), "orders"))
        .isEqualTo(Map.of("eu-west/a", 0, "eu-west/b", 1, "us-east/a", 2));
    assertThat(instancesAtPriority(translation.forNode(IN_ZONE_A), "orders", 0))
        .containsExactlyInAnyOrder(7001, 7002);
    // Subset clusters are ranked the same way.
    assertThat(prioritiesByLocality(translation.forNode(IN_ZONE_A), "orders|v1"))
        .containsEntry("eu-west/a", 0);
  }

  @Test
  void levelsWithoutInstancesAreSkippedForEachNode() {
    Translation translation = translate(List.of(service("orders")));

    NodeIdentity inZoneC = new NodeIdentity("n2", "web", "eu-west", "c");
    assertThat(prioritiesByLocality(translation.forNode(inZoneC), "orders"))
        .isEqualTo(Map.of("eu-west/a", 0, "eu-west/b", 0, "us-east/a", 1));
    NodeIdentity inUsEastB = new NodeIdentity("n3", "web", "us-east", "b");
    assertThat(prioritiesByLocality(translation.forNode(inUsEastB), "orders"))
        .isEqualTo(Map.of("eu-west/a", 1, "eu-west/b", 1, "us-east/a", 0));
  }

  @Test
  void aNodeWithoutLocalityOrAPolicyThatTurnsLocalityOffSeesOnePriority() {
    Translation aware = translate(List.of(service("orders")));
    assertThat(prioritiesByLocality(aware.forNode(NodeIdentity.of("n4")), "orders").values())
        .containsOnly(0);
    assertThat(aware.forNode(NodeIdentity.of("n4"))).isSameAs(aware.mesh());

    Translation unaware =
        translate(
            List.of(
                service("orders"),
                policy(
                    new TrafficPolicy.LoadBalancer(
                        TrafficPolicy.LoadBalancer.Policy.ROUND_ROBIN, "", 65_537, false))));
    assertThat(prioritiesByLocality(unaware.forNode(IN_ZONE_A), "orders").values()).containsOnly(0);
  }

  @Test
  void nodesInTheSameLocalityShareOneViewAndOnlyEndpointsDiffer() {
    Translation translation = translate(List.of(service("orders")));
    XdsSnapshot first = translation.forNode(IN_ZONE_A);
    XdsSnapshot second = translation.forNode(new NodeIdentity("n9", "api", "eu-west", "a"));
    assertThat(second).isSameAs(first);

    XdsSnapshot elsewhere = translation.forNode(new NodeIdentity("n5", "web", "us-east", "a"));
    for (XdsType type : XdsType.values()) {
      if (type != XdsType.ENDPOINT) {
        assertThat(elsewhere.version(type)).isEqualTo(first.version(type));
      }
    }
    assertThat(elsewhere.version(XdsType.ENDPOINT)).isNotEqualTo(first.version(XdsType.ENDPOINT));
  }

  @Test
  void aMaglevPolicyBecomesAMaglevClusterWithItsTableSizeAndRoutesHashOnItsHeader() {
    XdsSnapshot snapshot =
        translate(
                List.of(
                    service("orders"),
                    route("orders", split(1, 1)),
                    policy(
                        new TrafficPolicy.LoadBalancer(
                            TrafficPolicy.LoadBalancer.Policy.MAGLEV, "x-account", 131_071, true))))
            .mesh();

    Cluster cluster =
        (Cluster) snapshot.resources(XdsType.CLUSTER).get("orders").orElseThrow().message();
    assertThat(cluster.getLbPolicy()).isEqualTo(Cluster.LbPolicy.MAGLEV);
    assertThat(cluster.getMaglevLbConfig().getTableSize().getValue()).isEqualTo(131_071);
    RouteAction action =
        ((io.envoyproxy.envoy.config.route.v3.RouteConfiguration)
                snapshot.resources(XdsType.ROUTE).get("orders").orElseThrow().message())
            .getVirtualHosts(0)
            .getRoutes(0)
            .getRoute();
    assertThat(action.getHashPolicyList())
        .singleElement()
        .satisfies(h -> assertThat(h.getHeader().getHeaderName()).isEqualTo("x-account"));
  }

  private static Translation translate(List<Resource> resources) {
    return MeshTranslator.translate(new MeshState(resources, INSTANCES));
  }

  private static TrafficPolicy policy(TrafficPolicy.LoadBalancer lb) {
    return new TrafficPolicy(
        Metadata.named("orders"),
        new TrafficPolicy.Spec(
            "orders",
            "",
            lb,
            TrafficPolicy.ConnectionPool.DEFAULT,
            TrafficPolicy.CircuitBreaker.DEFAULT,
            TrafficPolicy.OutlierDetection.DEFAULT,
            TrafficPolicy.HealthCheck.DEFAULT));
  }

  private static ClusterLoadAssignment assignment(XdsSnapshot snapshot, String cluster) {
    return (ClusterLoadAssignment)
        snapshot.resources(XdsType.ENDPOINT).get(cluster).orElseThrow().message();
  }

  private static Map<String, Integer> prioritiesByLocality(XdsSnapshot snapshot, String cluster) {
    Map<String, Integer> priorities = new TreeMap<>();
    for (LocalityLbEndpoints locality : assignment(snapshot, cluster).getEndpointsList()) {
      priorities.put(
          locality.getLocality().getRegion() + "/" + locality.getLocality().getZone(),
          locality.getPriority());
    }
    return priorities;
  }

  private static List<Integer> instancesAtPriority(
      XdsSnapshot snapshot, String cluster, int priority) {
    return assignment(snapshot, cluster).getEndpointsList().stream()
        .filter(l -> l.getPriority() == priority)
        .flatMap(l -> l.getLbEndpointsList().stream())
        .map(e -> e.getEndpoint().getAddress().getSocketAddress().getPortValue())
        .toList();
  }

  private static ServiceInstance instance(String id, String region, String zone) {
    return new ServiceInstance(
        "orders",
        id,
        "127.0.0.1",
        7000 + Integer.parseInt(id.substring(id.indexOf('-') + 1)),
        Map.of(
            ServiceInstance.VERSION, "v1",
            ServiceInstance.REGION, region,
            ServiceInstance.ZONE, zone));
  }
}
