package dev.firemesh.xds.client;

import static dev.firemesh.xds.client.InboundPolicyDecoderTest.assertRefused;
import static dev.firemesh.xds.client.InboundPolicyDecoderTest.string;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ListValue;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.firemesh.api.codec.ResourceCodec;
import dev.firemesh.api.resource.AuthorizationPolicy;
import dev.firemesh.api.resource.Resource;
import dev.firemesh.api.validation.ParsedResource;
import dev.firemesh.traffic.authz.AccessRequest;
import dev.firemesh.traffic.authz.Caller;
import dev.firemesh.traffic.config.DataPlaneConfig;
import dev.firemesh.traffic.config.InboundPolicy;
import dev.firemesh.xds.translate.InboundPolicyMetadata;
import dev.firemesh.xds.translate.MeshState;
import dev.firemesh.xds.translate.Meshes;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * AuthorizationPolicies and MutualTls through the translator and back: the callee's sidecar
 * enforces exactly what was applied, and refuses metadata it could not enforce exactly.
 */
class AuthorizationRoundTripTest {

  private static final String POLICIES =
      """
      apiVersion: firemesh.dev/v1
      kind: AuthorizationPolicy
      metadata: {name: orders-from-gateway}
      spec:
        service: orders
        rules:
          - name: gw
            from:
              identities: ["spiffe://prod.bank/env/prod/*"]
              services: [gateway]
              envs: [prod]
              notIdentities: ["spiffe://prod.bank/env/prod/svc/ops"]
              notServices: [risk]
            to: {methods: [POST], paths: [/orders, /orders/*], ports: [http, 9090]}
            when: [{header: x-desk, values: [fx]}, {header: x-trader, present: true}]
          - {}
      ---
      apiVersion: firemesh.dev/v1
      kind: AuthorizationPolicy
      metadata: {name: no-admin}
      spec: {service: orders, action: DENY, mode: dryRun, rules: [{to: {paths: [/admin/*]}}]}
      ---
      apiVersion: firemesh.dev/v1
      kind: MutualTls
      metadata: {name: mesh}
      spec: {mode: strict}
      ---
      apiVersion: firemesh.dev/v1
      kind: MutualTls
      metadata: {name: risk}
      spec: {mode: permissive, service: risk}
      """;

  private static List<Resource> resources(String yaml) {
    List<Resource> resources = new ArrayList<>(List.of(Meshes.service("orders")));
    resources.add(Meshes.service("risk"));
    resources.add(Meshes.service("gateway"));
    ResourceCodec.parse("mesh.yaml", yaml).stream()
        .map(ParsedResource::resource)
        .forEach(resources::add);
    return resources;
  }

  private static DataPlaneConfig decode(String yaml) throws XdsDecodingException {
    return XdsConfigDecoder.decode(
        TradingMesh.resources(new MeshState(resources(yaml), List.of())), "cds=1");
  }

  @Test
  void policiesAndTheEffectiveMtlsModeReachTheServicesOwnPolicy() throws Exception {
    DataPlaneConfig config = decode(POLICIES);

    InboundPolicy orders = config.inbound("orders");
    List<AuthorizationPolicy> applied =
        resources(POLICIES).stream()
            .filter(r -> r instanceof AuthorizationPolicy)
            .map(r -> (AuthorizationPolicy) r)
            .toList();
    assertThat(orders.authorization().policies())
        .containsExactlyInAnyOrderElementsOf(applied)
        .extracting(AuthorizationPolicy::name)
        .containsExactly("no-admin", "orders-from-gateway");
    assertThat(orders.mtls()).isEqualTo(InboundPolicy.MtlsMode.STRICT);
    assertThat(config.inbound("gateway").mtls())
        .as("the mesh-wide mode")
        .isEqualTo(InboundPolicy.MtlsMode.STRICT);
    assertThat(config.inbound("risk")).as("its own MutualTls wins").isEqualTo(InboundPolicy.NONE);

    AccessRequest post =
        new AccessRequest(
            Caller.of(Optional.of("spiffe://prod.bank/env/prod/svc/gateway")),
            "POST",
            "/orders/7",
            name ->
                Map.of("x-desk", List.of("fx"), "x-trader", List.of("t1"))
                    .getOrDefault(name, List.of()),
            "http",
            8080);
    assertThat(orders.authorization().decide(post).decidedBy())
        .isEqualTo("orders-from-gateway rule gw");
  }

  @Test
  void withoutPoliciesAndPermissiveTheClusterCarriesNoInboundMetadata() throws Exception {
    DataPlaneConfig config = decode("");

    assertThat(config.inbound()).isEmpty();
  }

  @Test
  void metadataTheSidecarCannotEnforceExactlyIsRefusedNamingTheField() throws Exception {
    Cluster translated =
        TradingMesh.resources(new MeshState(resources(POLICIES), List.of()))
            .clusters()
            .get("orders");
    Struct inbound =
        translated.getMetadata().getFilterMetadataMap().get(InboundPolicyMetadata.FILTER);
    Struct policy =
        inbound.getFieldsOrThrow("authorization").getListValue().getValues(1).getStructValue();
    Struct rule = policy.getFieldsOrThrow("rules").getListValue().getValues(0).getStructValue();
    Struct to = rule.getFieldsOrThrow("to").getStructValue();
    String at = "metadata.filter_metadata[dev.firemesh.inbound].authorization[0]";

    assertRefused(
        translated,
        inbound.toBuilder().putFields("mtls", string("sometimes")).build(),
        "metadata.filter_metadata[dev.firemesh.inbound].mtls");
    assertRefused(
        translated,
        withPolicy(inbound, policy.toBuilder().putFields("action", string("AUDIT")).build()),
        at + ".action");
    assertRefused(
        translated,
        withPolicy(inbound, policy.toBuilder().putFields("tenant", string("x")).build()),
        at + ".tenant");
    assertRefused(
        translated,
        withPolicy(
            inbound,
            withRule(
                policy,
                withTo(rule, to.toBuilder().putFields("paths", strings("/a/../b")).build()))),
        at + ".rules[0].to.paths[0]");
    assertRefused(
        translated,
        withPolicy(
            inbound,
            withRule(
                policy, withTo(rule, to.toBuilder().putFields("ports", strings("70000")).build()))),
        at + ".rules[0].to.ports[0]");
    Struct from = rule.getFieldsOrThrow("from").getStructValue();
    assertRefused(
        translated,
        withPolicy(
            inbound,
            withRule(
                policy,
                rule.toBuilder()
                    .putFields(
                        "from",
                        Value.newBuilder()
                            .setStructValue(
                                from.toBuilder()
                                    .putFields("identities", strings("spiffe://x/svc/*")))
                            .build())
                    .build())),
        at + ".rules[0].from.identities[0]");
  }

  private static Struct withPolicy(Struct inbound, Struct policy) {
    return inbound.toBuilder()
        .putFields(
            "authorization",
            Value.newBuilder()
                .setListValue(
                    ListValue.newBuilder().addValues(Value.newBuilder().setStructValue(policy)))
                .build())
        .build();
  }

  private static Struct withRule(Struct policy, Struct rule) {
    return policy.toBuilder()
        .putFields(
            "rules",
            Value.newBuilder()
                .setListValue(
                    ListValue.newBuilder().addValues(Value.newBuilder().setStructValue(rule)))
                .build())
        .build();
  }

  private static Struct withTo(Struct rule, Struct to) {
    return rule.toBuilder().putFields("to", Value.newBuilder().setStructValue(to).build()).build();
  }

  private static Value strings(String... values) {
    ListValue.Builder list = ListValue.newBuilder();
    for (String v : values) {
      list.addValues(string(v));
    }
    return Value.newBuilder().setListValue(list).build();
  }
}
