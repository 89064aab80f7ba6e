package dev.firemesh.api.validation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.firemesh.api.codec.ResourceCodec;
import dev.firemesh.api.resource.Kind;
import dev.firemesh.api.resource.Resource;
import dev.firemesh.api.resource.ResourceKey;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** References across a batch and the store, reported at the field that makes them. */
class ReferenceCheckTest {

  private static final String ORDERS =
      """
      apiVersion: firemesh.dev/v1
      kind: Service
      metadata: {name: orders}
      spec:
        ports: [{name: http, port: 8080, protocol: http1}]
        subsets: [{name: v1, labels: {version: v1}}, {name: v2, labels: {version: v2}}]
      """;

  private static final String ROUTE =
      """
      apiVersion: firemesh.dev/v1
      kind: Route
      metadata: {name: orders}
      spec:
        service: orders
        rules:
          - destinations: [{subset: v1, weight: 90}, {subset: v2, weight: 10}]
      """;

  private static List<ParsedResource> parse(String file, String yaml) {
    return ResourceCodec.parse(file, yaml);
  }

  private static List<Resource> stored(String yaml) {
    return parse("stored.yaml", yaml).stream().map(ParsedResource::resource).toList();
  }

  private static List<String> check(
      List<ParsedResource> incoming, List<Resource> existing, Set<ResourceKey> deleted) {
    return ReferenceCheck.check(incoming, existing, deleted).stream()
        .map(Problem::toString)
        .toList();
  }

  @Test
  void acceptsReferencesToTheBatchAndToTheStore() {
    assertThat(check(parse("all.yaml", ORDERS + "---\n" + ROUTE), List.of(), Set.of())).isEmpty();
    assertThat(check(parse("route.yaml", ROUTE), stored(ORDERS), Set.of())).isEmpty();
  }

  @Test
  void pointsAtUnknownServicesAndSubsets() {
    String yaml =
        """
        apiVersion: firemesh.dev/v1
        kind: Route
        metadata: {name: orders}
        spec:
          service: orders
          rules:
            - destinations: [{subset: v1}, {service: ordrs}, {subset: v3}]
              mirror: [{service: audit}]
        ---
        apiVersion: firemesh.dev/v1
        kind: TrafficPolicy
        metadata: {name: orders-v9}
        spec: {service: orders, subset: v9}
        ---
        apiVersion: firemesh.dev/v1
        kind: Config
        metadata: {name: risk-dev}
        spec: {service: risk, environment: dev}
        """;

    assertThat(check(parse("route.yaml", yaml), stored(ORDERS), Set.of()))
        .containsExactly(
            "route.yaml:7:46: spec.rules[0].destinations[1].service: unknown Service \"ordrs\" (did"
                + " you mean \"orders\"?)",
            "route.yaml:7:63: spec.rules[0].destinations[2].subset: Service \"orders\" has no subset"
                + " \"v3\" (it has v1, v2)",
            "route.yaml:8:26: spec.rules[0].mirror[0].service: unknown Service \"audit\"",
            "route.yaml:13:33: spec.subset: Service \"orders\" has no subset \"v9\" (it has v1, v2)",
            "route.yaml:18:17: spec.service: unknown Service \"risk\"");
  }

  @Test
  void pointsAtTheEnclosingEntryWhenTheServiceIsTheDefault() {
    String yaml = ROUTE.replace("subset: v2", "subset: v2b");

    assertThat(check(parse("route.yaml", yaml), stored(ORDERS), Set.of()))
        .containsExactly(
            "route.yaml:7:57: spec.rules[0].destinations[1].subset: Service \"orders\" has no subset"
                + " \"v2b\" (it has v1, v2)");
  }

  @Test
  void refusesDeletingAServiceStillInUseNamingBoth() {
    ResourceKey orders = new ResourceKey(Kind.SERVICE, "orders");

    assertThat(check(List.of(), stored(ORDERS + "---\n" + ROUTE), Set.of(orders)))
        .containsExactly(
            "cannot delete Service/orders: Route/orders still refers to it at spec.service");
    assertThat(
            check(
                List.of(),
                stored(ORDERS + "---\n" + ROUTE),
                Set.of(orders, new ResourceKey(Kind.ROUTE, "orders"))))
        .isEmpty();
    assertThat(check(parse("route.yaml", ROUTE), stored(ORDERS), Set.of(orders)))
        .first()
        .isEqualTo("route.yaml:5:12: spec.service: Service \"orders\" is deleted in this batch");
  }

  @Test
  void refusesRemovingASubsetStillInUse() {
    String withoutV2 = ORDERS.replace(", {name: v2, labels: {version: v2}}", "");

    assertThat(check(parse("orders.yaml", withoutV2), stored(ORDERS + "---\n" + ROUTE), Set.of()))
        .containsExactly(
            "orders.yaml:6:12: spec.subsets: subset \"v2\" is still used by Route/orders at"
                + " spec.rules[0].destinations[1].subset");
  }

  @Test
  void refusesDuplicatesAndContradictionsAcrossFiles() {
    List<ParsedResource> incoming =
        new java.util.ArrayList<>(parse("a.yaml", ORDERS + "---\n" + ROUTE));
    incoming.addAll(parse("b.yaml", ROUTE));

    assertThat(check(incoming, List.of(), Set.of(new ResourceKey(Kind.ROUTE, "orders"))))
        .containsExactly(
            "a.yaml:10:18: metadata.name: Route/orders is both applied and deleted in this batch",
            "b.yaml:3:18: metadata.name: Route/orders is defined twice in this batch (also at"
                + " a.yaml:8:1)",
            "b.yaml:3:18: metadata.name: Route/orders is both applied and deleted in this batch");
  }

  @Test
  void refusesTwoResourcesForTheSameTarget() {
    String second = ROUTE.replace("name: orders}", "name: orders-too}");

    assertThat(check(parse("second.yaml", second), stored(ORDERS + "---\n" + ROUTE), Set.of()))
        .containsExactly(
            "second.yaml:5:12: spec.service: Route/orders-too, Route/orders all apply to the same"
                + " target (service orders); keep one");
  }

  @Test
  void ignoresInconsistenciesTheBatchDidNotCause() {
    List<Resource> brokenStore = stored(ROUTE);
    String unrelated =
        """
        apiVersion: firemesh.dev/v1
        kind: Service
        metadata: {name: risk}
        spec: {ports: [{name: grpc, port: 9090, protocol: grpc}]}
        """;

    assertThat(check(parse("risk.yaml", unrelated), brokenStore, Set.of())).isEmpty();
  }
}
