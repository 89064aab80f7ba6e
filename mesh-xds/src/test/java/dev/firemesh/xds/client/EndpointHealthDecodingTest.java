package dev.firemesh.xds.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.firemesh.api.registry.ServiceInstance;
import dev.firemesh.api.resource.Metadata;
import dev.firemesh.api.resource.TrafficPolicy;
import dev.firemesh.traffic.config.ClusterConfig;
import dev.firemesh.traffic.config.DataPlaneConfig;
import dev.firemesh.xds.translate.MeshState;
import dev.firemesh.xds.translate.MeshTranslator;
import dev.firemesh.xds.translate.Meshes;
import dev.firemesh.xds.translate.NodeIdentity;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A TrafficPolicy's outlier detection, health check and panic threshold, through xDS and back. */
class EndpointHealthDecodingTest {

  @Test
  void aPolicysEndpointHealthSettingsReachTheSidecarUnchanged() throws Exception {
    TrafficPolicy policy =
        new TrafficPolicy(
            Metadata.named("orders"),
            new TrafficPolicy.Spec(
                "orders",
                "",
                new TrafficPolicy.LoadBalancer(
                    TrafficPolicy.LoadBalancer.Policy.ROUND_ROBIN, "", 65_537, true, 30),
                TrafficPolicy.ConnectionPool.DEFAULT,
                TrafficPolicy.CircuitBreaker.DEFAULT,
                new TrafficPolicy.OutlierDetection(
                    3,
                    4,
                    Duration.ofSeconds(5),
                    Duration.ofSeconds(10),
                    40,
                    new TrafficPolicy.SuccessRate(true, 3, 50, 1.25),
                    Duration.ofMinutes(2)),
                new TrafficPolicy.HealthCheck(
                    TrafficPolicy.HealthCheck.Type.HTTP,
                    "/healthz",
                    Duration.ofSeconds(3),
                    Duration.ofMillis(700),
                    2,
                    1)));
    List<ServiceInstance> instances =
        List.of(Meshes.instance("orders", "orders-1", 7001, "v1", "a"));
    MeshState state = new MeshState(List.of(Meshes.service("orders"), policy), instances);
    DataPlaneConfig config =
        XdsConfigDecoder.decode(
            TradingMesh.resources(
                MeshTranslator.translate(state)
                    .forNode(new NodeIdentity("sidecar-1", "web", "eu-west", "a"))),
            "1");

    ClusterConfig orders = config.cluster("orders").orElseThrow();
    assertThat(orders.outlierDetection())
        .isEqualTo(
            new ClusterConfig.OutlierDetection(
                3,
                4,
                Duration.ofSeconds(5),
                Duration.ofSeconds(10),
                40,
                new ClusterConfig.SuccessRate(true, 3, 50, 1.25),
                Duration.ofMinutes(2)));
    assertThat(orders.healthCheck())
        .isEqualTo(
            new ClusterConfig.HealthCheck(
                ClusterConfig.HealthCheck.Type.HTTP,
                "/healthz",
                "orders",
                Duration.ofSeconds(3),
                Duration.ofMillis(700),
                2,
                1));
    assertThat(orders.panicThreshold()).isEqualTo(30.0);
  }
}
