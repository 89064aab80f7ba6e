package dev.firemesh.api.validation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.firemesh.api.codec.ResourceCodec;
import dev.firemesh.api.resource.Kind;
import dev.firemesh.api.resource.Resource;
import dev.firemesh.api.resource.ResourceKey;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * AuthorizationPolicy and MutualTls against the rest of the mesh: services and ports must exist,
 * and there is at most one mesh-wide MutualTls and one per service.
 */
class AuthorizationReferenceTest {

  private static final String ORDERS =
      """
      apiVersion: firemesh.dev/v1
      kind: Service
      metadata: {name: orders}
      spec:
        ports: [{name: http, port: 8080, protocol: http1}, {name: fix, port: 9878, protocol: tcp}]
      """;

  private static String mtls(String name, String spec) {
    return """
        apiVersion: firemesh.dev/v1
        kind: MutualTls
        metadata: {name: %s}
        spec: %s
        """
        .formatted(name, spec);
  }

  private static List<String> check(String file, String yaml, String stored, Set<ResourceKey> d) {
    List<Resource> existing =
        ResourceCodec.parse("stored.yaml", stored).stream().map(ParsedResource::resource).toList();
    return ReferenceCheck.check(ResourceCodec.parse(file, yaml), existing, d).stream()
        .map(Problem::toString)
        .toList();
  }

  @Test
  void aSecondMeshWideMutualTlsIsRefusedNamingBoth() {
    assertThat(
            check(
                "mtls.yaml",
                mtls("second", "{mode: permissive}"),
                ORDERS + "---\n" + mtls("first", "{mode: strict}"),
                Set.of()))
        .containsExactly(
            "mtls.yaml:4:7: spec.service: MutualTls/second, MutualTls/first all apply to the same"
                + " target (the mesh-wide default); keep one");
    assertThat(
            check(
                "mtls.yaml",
                mtls("orders", "{mode: strict, service: orders}"),
                ORDERS + "---\n" + mtls("first", "{mode: permissive}"),
                Set.of()))
        .as("a per-service one beside the mesh-wide one")
        .isEmpty();
    assertThat(
            check(
                "mtls.yaml",
                mtls("orders-2", "{mode: strict, service: orders}"),
                ORDERS + "---\n" + mtls("orders", "{mode: permissive, service: orders}"),
                Set.of()))
        .containsExactly(
            "mtls.yaml:4:31: spec.service: MutualTls/orders-2, MutualTls/orders all apply to the"
                + " same target (service orders); keep one");
  }

  @Test
  void aMutualTlsNamesAnExistingServiceAndKeepsIt() {
    assertThat(check("mtls.yaml", mtls("risk", "{mode: strict, service: risk}"), ORDERS, Set.of()))
        .containsExactly("mtls.yaml:4:31: spec.service: unknown Service \"risk\"");
    assertThat(
            check(
                "none.yaml",
                "",
                ORDERS + "---\n" + mtls("orders", "{mode: strict, service: orders}"),
                Set.of(new ResourceKey(Kind.SERVICE, "orders"))))
        .containsExactly(
            "cannot delete Service/orders: MutualTls/orders still refers to it at spec.service");
  }

  @Test
  void aPolicyNamesAnExistingServiceAndItsPorts() {
    String policy =
        """
        apiVersion: firemesh.dev/v1
        kind: AuthorizationPolicy
        metadata: {name: orders}
        spec:
          service: %s
          rules: [{to: {ports: [http, 9878, grpc, 9090]}}]
        """;
    assertThat(check("p.yaml", policy.formatted("ordres"), ORDERS, Set.of()))
        .containsExactly(
            "p.yaml:5:12: spec.service: unknown Service \"ordres\" (did you mean \"orders\"?)");
    assertThat(check("p.yaml", policy.formatted("orders"), ORDERS, Set.of()))
        .containsExactly(
            "p.yaml:6:37: spec.rules[0].to.ports[2]: Service \"orders\" has no port grpc (it has"
                + " http 8080, fix 9878)",
            "p.yaml:6:43: spec.rules[0].to.ports[3]: Service \"orders\" has no port 9090 (it has"
                + " http 8080, fix 9878)");
  }
}
