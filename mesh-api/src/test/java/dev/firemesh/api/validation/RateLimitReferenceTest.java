package dev.firemesh.api.validation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.firemesh.api.codec.ResourceCodec;
import dev.firemesh.api.resource.Kind;
import dev.firemesh.api.resource.Resource;
import dev.firemesh.api.resource.ResourceKey;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A RateLimit names an existing Service, keeps it from being deleted, and is alone per service. */
class RateLimitReferenceTest {

  private static final String ORDERS =
      """
      apiVersion: firemesh.dev/v1
      kind: Service
      metadata: {name: orders}
      spec:
        ports: [{name: http, port: 8080, protocol: http1}]
      """;

  private static String limit(String name, String service) {
    return """
        apiVersion: firemesh.dev/v1
        kind: RateLimit
        metadata: {name: %s}
        spec:
          service: %s
          rules: [{name: all, tokensPerSecond: 10, burst: 20}]
        """
        .formatted(name, service);
  }

  private static List<String> check(
      List<ParsedResource> incoming, List<Resource> existing, Set<ResourceKey> deleted) {
    return ReferenceCheck.check(incoming, existing, deleted).stream()
        .map(Problem::toString)
        .toList();
  }

  private static List<Resource> stored(String yaml) {
    return ResourceCodec.parse("stored.yaml", yaml).stream().map(ParsedResource::resource).toList();
  }

  @Test
  void refusesAnUnknownServiceWithASuggestion() {
    assertThat(check(ResourceCodec.parse("l.yaml", limit("l", "ordres")), stored(ORDERS), Set.of()))
        .containsExactly(
            "l.yaml:5:12: spec.service: unknown Service \"ordres\" (did you mean \"orders\"?)");
    assertThat(check(ResourceCodec.parse("l.yaml", limit("l", "orders")), stored(ORDERS), Set.of()))
        .isEmpty();
  }

  @Test
  void keepsItsServiceFromBeingDeleted() {
    assertThat(
            check(
                List.of(),
                stored(ORDERS + "---\n" + limit("l", "orders")),
                Set.of(new ResourceKey(Kind.SERVICE, "orders"))))
        .containsExactly(
            "cannot delete Service/orders: RateLimit/l still refers to it at spec.service");
  }

  @Test
  void refusesTwoRateLimitsForOneService() {
    assertThat(
            check(
                ResourceCodec.parse("l.yaml", limit("second", "orders")),
                stored(ORDERS + "---\n" + limit("first", "orders")),
                Set.of()))
        .containsExactly(
            "l.yaml:5:12: spec.service: RateLimit/second, RateLimit/first all apply to the same"
                + " target (service orders); keep one");
  }
}
