package dev.firemesh.api.validation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.firemesh.api.codec.ResourceCodec;
import dev.firemesh.api.resource.Kind;
import dev.firemesh.api.resource.Resource;
import dev.firemesh.api.resource.ResourceKey;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A Canary's Route, rule and subsets must exist, and stay while the Canary does. */
class CanaryReferenceTest {

  private static final String MESH =
      """
      apiVersion: firemesh.dev/v1
      kind: Service
      metadata: {name: orders}
      spec:
        ports: [{name: http, port: 8080, protocol: http1}]
        subsets: [{name: v1, labels: {version: v1}}, {name: v2, labels: {version: v2}}]
      ---
      apiVersion: firemesh.dev/v1
      kind: Route
      metadata: {name: orders}
      spec:
        service: orders
        rules:
          - name: canary-split
            destinations: [{subset: v1, weight: 90}, {subset: v2, weight: 10}]
      """;

  private static final String CANARY =
      """
      apiVersion: firemesh.dev/v1
      kind: Canary
      metadata: {name: orders-v2}
      spec:
        service: orders
        route: orders
        rule: canary-split
        stable: v1
        canary: v2
        steps: [10, 50]
      """;

  private static List<Resource> stored(String yaml) {
    return ResourceCodec.parse("stored.yaml", yaml).stream().map(ParsedResource::resource).toList();
  }

  private static List<String> check(
      String file, String yaml, List<Resource> existing, Set<ResourceKey> deleted) {
    List<ParsedResource> incoming = yaml.isEmpty() ? List.of() : ResourceCodec.parse(file, yaml);
    return ReferenceCheck.check(incoming, existing, deleted).stream()
        .map(Problem::toString)
        .toList();
  }

  @Test
  void acceptsACanaryOnANamedRuleOfItsServicesRoute() {
    assertThat(check("canary.yaml", CANARY, stored(MESH), Set.of())).isEmpty();
  }

  @Test
  void pointsAtAnUnknownRouteRuleOrSubset() {
    assertThat(
            check(
                "canary.yaml",
                CANARY.replace("route: orders", "route: order"),
                stored(MESH),
                Set.of()))
        .containsExactly(
            "canary.yaml:6:10: spec.route: unknown Route \"order\" (did you mean \"orders\"?)");
    assertThat(
            check(
                "canary.yaml",
                CANARY.replace("canary-split", "canary-splt"),
                stored(MESH),
                Set.of()))
        .containsExactly(
            "canary.yaml:7:9: spec.rule: Route \"orders\" has no rule named \"canary-splt\" (did you"
                + " mean \"canary-split\"?)");
    assertThat(
            check(
                "canary.yaml", CANARY.replace("canary: v2", "canary: v3"), stored(MESH), Set.of()))
        .containsExactly(
            "canary.yaml:9:11: spec.canary: Service \"orders\" has no subset \"v3\" (it has v1, v2)");
    assertThat(
            check(
                "canary.yaml",
                CANARY.replace("service: orders", "service: risk"),
                stored(MESH),
                Set.of()))
        .containsExactly(
            "canary.yaml:5:12: spec.service: unknown Service \"risk\"",
            "canary.yaml:6:10: spec.route: Route \"orders\" routes service \"orders\", not \"risk\"");
  }

  @Test
  void theRouteAndItsRuleStayWhileACanaryShiftsIt() {
    List<Resource> existing = stored(MESH + "---\n" + CANARY);

    assertThat(check("", "", existing, Set.of(new ResourceKey(Kind.ROUTE, "orders"))))
        .containsExactly(
            "spec: cannot delete Route/orders: Canary/orders-v2 still shifts its traffic"
                .substring(6));
    String renamed =
        MESH.substring(MESH.indexOf("apiVersion: firemesh.dev/v1\nkind: Route"))
            .replace("canary-split", "split");
    assertThat(check("route.yaml", renamed, existing, Set.of()))
        .containsExactly(
            "route.yaml:7:5: spec.rules: rule \"canary-split\" is still used by Canary/orders-v2");
  }

  @Test
  void twoCanariesCannotShiftTheSameRule() {
    String second = CANARY.replace("name: orders-v2", "name: orders-v2b");

    assertThat(check("canary.yaml", second, stored(MESH + "---\n" + CANARY), Set.of()))
        .containsExactly(
            "canary.yaml:5:12: spec.service: Canary/orders-v2b, Canary/orders-v2 all apply to the"
                + " same target (Route orders, rule canary-split); keep one");
  }
}
