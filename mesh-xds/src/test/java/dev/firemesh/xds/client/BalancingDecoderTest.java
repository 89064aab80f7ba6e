package dev.firemesh.xds.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.UInt32Value;
import com.google.protobuf.UInt64Value;
import dev.firemesh.api.registry.ServiceInstance;
import dev.firemesh.api.resource.Metadata;
import dev.firemesh.api.resource.TrafficPolicy;
import dev.firemesh.traffic.config.ClusterConfig;
import dev.firemesh.traffic.config.DataPlaneConfig;
import dev.firemesh.traffic.config.Endpoint;
import dev.firemesh.traffic.route.RouteResult;
import dev.firemesh.traffic.route.SnapshotRouter;
import dev.firemesh.xds.translate.MeshState;
import dev.firemesh.xds.translate.MeshTranslator;
import dev.firemesh.xds.translate.Meshes;
import dev.firemesh.xds.translate.NodeIdentity;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.Address;
import io.envoyproxy.envoy.config.core.v3.AggregatedConfigSource;
import io.envoyproxy.envoy.config.core.v3.ConfigSource;
import io.envoyproxy.envoy.config.core.v3.Locality;
import io.envoyproxy.envoy.config.core.v3.SocketAddress;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.endpoint.v3.LbEndpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LocalityLbEndpoints;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What the sidecar makes of Maglev clusters and of endpoint priorities. */
class BalancingDecoderTest {
  private static final ConfigSource ADS =
      ConfigSource.newBuilder().setAds(AggregatedConfigSource.getDefaultInstance()).build();

  @Test
  void aMaglevClusterKeepsItsTableSizeOrEnvoysDefault() throws Exception {
    Cluster maglev =
        eds("quotes").toBuilder()
            .setLbPolicy(Cluster.LbPolicy.MAGLEV)
            .setMaglevLbConfig(
                Cluster.MaglevLbConfig.newBuilder().setTableSize(UInt64Value.of(131_071)))
            .build();
    ClusterConfig config = XdsConfigDecoder.cluster(maglev).config();
    assertThat(config.balancer()).isEqualTo(ClusterConfig.BalancerPolicy.MAGLEV);
    assertThat(config.maglevTableSize()).isEqualTo(131_071);

    ClusterConfig bare =
        XdsConfigDecoder.cluster(
                eds("quotes").toBuilder().setLbPolicy(Cluster.LbPolicy.MAGLEV).build())
            .config();
    assertThat(bare.maglevTableSize()).isEqualTo(65_537);
  }

  @Test
  void aMaglevTableSizeThatIsNotAPrimeIsRefused() {
    Cluster even =
        eds("quotes").toBuilder()
            .setLbPolicy(Cluster.LbPolicy.MAGLEV)
            .setMaglevLbConfig(
                Cluster.MaglevLbConfig.newBuilder().setTableSize(UInt64Value.of(65_536)))
            .build();
    assertThatThrownBy(() -> XdsConfigDecoder.cluster(even))
        .isInstanceOf(XdsDecodingException.class)
        .hasMessageContaining("maglev_lb_config.table_size")
        .hasMessageContaining("prime");
  }

  @Test
  void prioritiesAreKeptAndLocalityWeightsFoldWithinEachPriority() throws Exception {
    ClusterLoadAssignment assignment =
        ClusterLoadAssignment.newBuilder()
            .setClusterName("orders")
            .addEndpoints(locality("eu", "b", 1, 1, 7002, 7003))
            .addEndpoints(locality("eu", "a", 0, 2, 7001))
            .addEndpoints(locality("us", "a", 2, 5, 7004))
            .build();

    assertThat(XdsConfigDecoder.endpoints("orders", assignment))
        .containsExactlyInAnyOrder(
            new Endpoint("127.0.0.1", 7001, "eu", "a", 1, 0),
            new Endpoint("127.0.0.1", 7002, "eu", "b", 1, 1),
            new Endpoint("127.0.0.1", 7003, "eu", "b", 1, 1),
            new Endpoint("127.0.0.1", 7004, "us", "a", 1, 2));
  }

  @Test
  void aSidecarInZoneACallsOnlyZoneAWhileItHasInstancesThere() throws Exception {
    List<ServiceInstance> instances =
        List.of(
            Meshes.instance("orders", "orders-1", 7001, "v1", "a"),
            Meshes.instance("orders", "orders-2", 7002, "v1", "a"),
            Meshes.instance("orders", "orders-3", 7003, "v1", "b"),
            Meshes.instance("orders", "orders-4", 7004, "v1", "b"));
    NodeIdentity zoneA = new NodeIdentity("sidecar-1", "web", "eu-west", "a");

    assertThat(portsReached(instances, zoneA, true)).containsExactlyInAnyOrder(7001, 7002);
    assertThat(portsReached(instances.subList(2, 4), zoneA, true))
        .as("zone a empty: the rest of the region")
        .containsExactlyInAnyOrder(7003, 7004);
    assertThat(portsReached(instances, zoneA, false))
        .as("localityAware: false")
        .containsExactlyInAnyOrder(7001, 7002, 7003, 7004);
  }

  private static Set<Integer> portsReached(
      List<ServiceInstance> instances, NodeIdentity node, boolean localityAware) throws Exception {
    TrafficPolicy policy =
        new TrafficPolicy(
            Metadata.named("orders"),
            new TrafficPolicy.Spec(
                "orders",
                "",
                new TrafficPolicy.LoadBalancer(
                    TrafficPolicy.LoadBalancer.Policy.RANDOM, "", 65_537, localityAware),
                TrafficPolicy.ConnectionPool.DEFAULT,
                TrafficPolicy.CircuitBreaker.DEFAULT,
                TrafficPolicy.OutlierDetection.DEFAULT,
                TrafficPolicy.HealthCheck.DEFAULT));
    MeshState state = new MeshState(List.of(Meshes.service("orders"), policy), instances);
    DataPlaneConfig config =
        XdsConfigDecoder.decode(
            TradingMesh.resources(MeshTranslator.translate(state).forNode(node)), "1");
    SnapshotRouter router = new SnapshotRouter(config, new Random(5));
    Set<Integer> reached = new HashSet<>();
    for (int i = 0; i < 400; i++) {
      var routed = (RouteResult.Routed) router.route("orders", TradingMesh.Request.of("GET", "/"));
      routed.lease().close();
      reached.add(routed.endpoint().port());
    }
    return reached;
  }

  private static Cluster eds(String name) {
    return Cluster.newBuilder()
        .setName(name)
        .setType(Cluster.DiscoveryType.EDS)
        .setEdsClusterConfig(Cluster.EdsClusterConfig.newBuilder().setEdsConfig(ADS))
        .build();
  }

  private static LocalityLbEndpoints locality(
      String region, String zone, int priority, int weight, int... ports) {
    LocalityLbEndpoints.Builder locality =
        LocalityLbEndpoints.newBuilder()
            .setLocality(Locality.newBuilder().setRegion(region).setZone(zone))
            .setPriority(priority)
            .setLoadBalancingWeight(UInt32Value.of(weight));
    for (int port : ports) {
      locality.addLbEndpoints(
          LbEndpoint.newBuilder()
              .setEndpoint(
                  io.envoyproxy.envoy.config.endpoint.v3.Endpoint.newBuilder()
                      .setAddress(
                          Address.newBuilder()
                              .setSocketAddress(
                                  SocketAddress.newBuilder()
                                      .setAddress("127.0.0.1")
                                      .setPortValue(port)))));
    }
    return locality.build();
  }
}
