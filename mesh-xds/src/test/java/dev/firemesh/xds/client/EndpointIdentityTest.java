package dev.firemesh.xds.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.firemesh.api.identity.SpiffeId;
import dev.firemesh.api.registry.ServiceInstance;
import dev.firemesh.traffic.config.Endpoint;
import dev.firemesh.xds.translate.EndpointMetadata;
import dev.firemesh.xds.translate.MeshState;
import dev.firemesh.xds.translate.MeshTranslator;
import dev.firemesh.xds.translate.Meshes;
import dev.firemesh.xds.translate.NodeIdentity;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.endpoint.v3.LbEndpoint;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** An instance's SPIFFE ID, registered as its {@code identity} label, reaches callers' sidecars. */
class EndpointIdentityTest {
  private static final String ORDERS = "spiffe://bank.example/env/prod/svc/orders";

  private static ServiceInstance withIdentity(ServiceInstance instance, String identity) {
    Map<String, String> labels = new HashMap<>(instance.labels());
    labels.put(EndpointMetadata.IDENTITY_LABEL, identity);
    return new ServiceInstance(
        instance.service(), instance.instanceId(), instance.address(), instance.port(), labels);
  }

  private static XdsResources translate(List<ServiceInstance> instances) {
    MeshState state = new MeshState(List.of(Meshes.service("orders")), instances);
    return TradingMesh.resources(
        MeshTranslator.translate(state)
            .forNode(new NodeIdentity("sidecar-1", "web", "eu-west", "a")));
  }

  @Test
  void theIdentityLabelTravelsAsEndpointMetadataAndIsDecodedPerEndpoint() throws Exception {
    List<ServiceInstance> instances =
        List.of(
            withIdentity(Meshes.instance("orders", "orders-1", 7001, "v1", "a"), ORDERS),
            Meshes.instance("orders", "orders-2", 7002, "v1", "a"));
    XdsResources resources = translate(instances);

    LbEndpoint first = resources.loadAssignments().get("orders").getEndpoints(0).getLbEndpoints(0);
    assertThat(
            first
                .getMetadata()
                .getFilterMetadataOrThrow(EndpointMetadata.FILTER)
                .getFieldsOrThrow(EndpointMetadata.IDENTITY)
                .getStringValue())
        .isEqualTo(ORDERS);
    // Who an endpoint is never selects a subset: Envoy's subset labels stay untouched.
    assertThat(first.getMetadata().getFilterMetadataMap()).doesNotContainKey("envoy.lb");

    List<Endpoint> endpoints =
        XdsConfigDecoder.decode(resources, "1").cluster("orders").orElseThrow().endpoints();
    assertThat(endpoints)
        .extracting(Endpoint::port, Endpoint::identity)
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple(7001, ORDERS),
            org.assertj.core.groups.Tuple.tuple(7002, ""));
    assertThat(endpoints.stream().filter(e -> e.port() == 7001).findFirst().orElseThrow())
        .satisfies(
            e ->
                assertThat(e.expectedIdentity())
                    .contains(new SpiffeId("bank.example", "prod", "orders")));
  }

  @Test
  void aLabelThatIsNoSpiffeIdIsLeftOutByTheControlPlane() throws Exception {
    XdsResources resources =
        translate(
            List.of(
                withIdentity(
                    Meshes.instance("orders", "orders-1", 7001, "v1", "a"), "orders@bank")));
    LbEndpoint only = resources.loadAssignments().get("orders").getEndpoints(0).getLbEndpoints(0);
    assertThat(only.hasMetadata()).isFalse();
  }

  @Test
  void anInvalidIdentityIsNackedWithItsFieldPath() {
    XdsResources good =
        translate(
            List.of(withIdentity(Meshes.instance("orders", "orders-1", 7001, "v1", "a"), ORDERS)));
    ClusterLoadAssignment assignment = good.loadAssignments().get("orders");
    ClusterLoadAssignment bad =
        assignment.toBuilder()
            .setEndpoints(
                0,
                assignment.getEndpoints(0).toBuilder()
                    .setLbEndpoints(
                        0,
                        assignment.getEndpoints(0).getLbEndpoints(0).toBuilder()
                            .setMetadata(
                                io.envoyproxy.envoy.config.core.v3.Metadata.newBuilder()
                                    .putFilterMetadata(
                                        EndpointMetadata.FILTER,
                                        Struct.newBuilder()
                                            .putFields(
                                                EndpointMetadata.IDENTITY,
                                                Value.newBuilder()
                                                    .setStringValue(
                                                        "spiffe://bank.example/svc/orders")
                                                    .build())
                                            .build()))))
            .build();
    Map<String, ClusterLoadAssignment> assignments = new HashMap<>(good.loadAssignments());
    assignments.put("orders", bad);
    XdsResources resources =
        new XdsResources(
            good.listeners(), good.routeConfigurations(), good.clusters(), assignments);

    assertThatThrownBy(() -> XdsConfigDecoder.decode(resources, "1"))
        .isInstanceOfSatisfying(
            XdsDecodingException.class,
            e -> {
              assertThat(e.field())
                  .isEqualTo(
                      "endpoints[0].lb_endpoints[0].metadata.filter_metadata"
                          + "[dev.firemesh.endpoint].identity");
              assertThat(e.problem()).contains("spiffe://bank.example/svc/orders");
            });
  }
}
