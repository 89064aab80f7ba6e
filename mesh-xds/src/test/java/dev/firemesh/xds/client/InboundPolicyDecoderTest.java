package dev.firemesh.xds.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ListValue;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.firemesh.api.resource.Metadata;
import dev.firemesh.api.resource.RateLimit;
import dev.firemesh.api.resource.Resource;
import dev.firemesh.api.resource.Route;
import dev.firemesh.traffic.config.DataPlaneConfig;
import dev.firemesh.traffic.config.InboundPolicy;
import dev.firemesh.traffic.config.RateLimitRule;
import dev.firemesh.xds.client.TradingMesh.Request;
import dev.firemesh.xds.translate.InboundPolicyMetadata;
import dev.firemesh.xds.translate.MeshState;
import dev.firemesh.xds.translate.Meshes;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A RateLimit through the translator and back: the sidecar enforces what was applied. */
class InboundPolicyDecoderTest {

  private static final Route.Match POST_ORDERS =
      new Route.Match(
          new Route.PathMatch.Prefix("/orders"),
          List.of("POST", "PUT"),
          List.of(new Route.HeaderMatch("x-desk", new Route.ValueMatch.Regex("eq-[a-z]+"), false)),
          List.of(new Route.CookieMatch("tier", new Route.ValueMatch.Exact("gold"), true)));

  private static RateLimit limits(RateLimit.Rule... rules) {
    return new RateLimit(
        Metadata.named("orders-limits"), new RateLimit.Spec("orders", List.of(rules)));
  }

  private static DataPlaneConfig decode(Resource... extra) throws XdsDecodingException {
    List<Resource> resources = new ArrayList<>(List.of(Meshes.service("orders")));
    resources.add(Meshes.service("risk"));
    resources.addAll(List.of(extra));
    return XdsConfigDecoder.decode(
        TradingMesh.resources(new MeshState(resources, List.of())), "cds=1");
  }

  @Test
  void rateLimitsReachTheServicesOwnPolicyInOrderWithTheirMatches() throws Exception {
    DataPlaneConfig config =
        decode(
            limits(
                new RateLimit.Rule("place", List.of(POST_ORDERS), 2.5, 5, RateLimit.Per.CALLER),
                new RateLimit.Rule("rest", List.of(), 100, 200, RateLimit.Per.INSTANCE)));

    InboundPolicy policy = config.inbound("orders");
    assertThat(policy.rateLimits())
        .extracting(
            RateLimitRule::name,
            RateLimitRule::tokensPerSecond,
            RateLimitRule::burst,
            RateLimitRule::per)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("place", 2.5, 5, RateLimitRule.Per.CALLER),
            org.assertj.core.groups.Tuple.tuple("rest", 100.0, 200, RateLimitRule.Per.INSTANCE));
    assertThat(config.inbound("risk")).isEqualTo(InboundPolicy.NONE);

    RateLimitRule place = policy.rateLimits().getFirst();
    assertThat(place.matches(Request.of("POST", "/orders/7", "x-desk", "eq-london"))).isTrue();
    assertThat(place.matches(Request.of("PUT", "/orders", "x-desk", "eq-paris"))).isTrue();
    assertThat(place.matches(Request.of("GET", "/orders/7", "x-desk", "eq-london"))).isFalse();
    assertThat(place.matches(Request.of("POST", "/quotes", "x-desk", "eq-london"))).isFalse();
    assertThat(place.matches(Request.of("POST", "/orders", "x-desk", "fx"))).isFalse();
    assertThat(
            place.matches(
                Request.of("POST", "/orders", "x-desk", "eq-x", "cookie", "a=1; tier=gold")))
        .as("inverted cookie match")
        .isFalse();
    assertThat(policy.rateLimits().getLast().matches(Request.of("GET", "/anything"))).isTrue();
  }

  @Test
  void aServiceWithoutRateLimitsCarriesNoInboundMetadata() throws Exception {
    DataPlaneConfig config = decode();

    assertThat(config.inbound()).isEmpty();
    assertThat(
            TradingMesh.resources(new MeshState(List.of(Meshes.service("orders")), List.of()))
                .clusters()
                .get("orders")
                .getMetadata()
                .getFilterMetadataMap())
        .doesNotContainKey(InboundPolicyMetadata.FILTER);
  }

  @Test
  void aRateLimitTheSidecarCannotEnforceExactlyIsRefusedNamingTheField() throws Exception {
    Cluster translated =
        TradingMesh.resources(
                new MeshState(
                    List.of(
                        Meshes.service("orders"),
                        limits(
                            new RateLimit.Rule(
                                "place", List.of(POST_ORDERS), 1, 1, RateLimit.Per.CALLER))),
                    List.of()))
            .clusters()
            .get("orders");
    Struct policy =
        translated.getMetadata().getFilterMetadataMap().get(InboundPolicyMetadata.FILTER);
    Struct rule =
        policy.getFieldsOrThrow("rate_limits").getListValue().getValues(0).getStructValue();

    assertRefused(
        translated,
        withRule(policy, rule.toBuilder().putFields("per", string("tenant")).build()),
        "metadata.filter_metadata[dev.firemesh.inbound].rate_limits[0].per");
    assertRefused(
        translated,
        withRule(policy, rule.toBuilder().putFields("burst", number(0.5)).build()),
        "metadata.filter_metadata[dev.firemesh.inbound].rate_limits[0].burst");
    assertRefused(
        translated,
        withRule(policy, rule.toBuilder().putFields("window", number(1)).build()),
        "metadata.filter_metadata[dev.firemesh.inbound].rate_limits[0].window");
    Struct badMatch =
        Struct.newBuilder()
            .putFields("prefix", string("/"))
            .putFields("query", string("x"))
            .build();
    assertRefused(
        translated,
        withRule(
            policy,
            rule.toBuilder()
                .putFields(
                    "matches",
                    Value.newBuilder()
                        .setListValue(
                            ListValue.newBuilder()
                                .addValues(Value.newBuilder().setStructValue(badMatch)))
                        .build())
                .build()),
        "metadata.filter_metadata[dev.firemesh.inbound].rate_limits[0].matches[0]");
  }

  private static Struct withRule(Struct policy, Struct rule) {
    return policy.toBuilder()
        .putFields(
            "rate_limits",
            Value.newBuilder()
                .setListValue(
                    ListValue.newBuilder().addValues(Value.newBuilder().setStructValue(rule)))
                .build())
        .build();
  }

  /**
   * Asserts that {@code cluster} with {@code policy} as its inbound metadata is refused at field.
   */
  static void assertRefused(Cluster cluster, Struct policy, String field) {
    Cluster changed =
        cluster.toBuilder()
            .setMetadata(
                cluster.getMetadata().toBuilder()
                    .putFilterMetadata(InboundPolicyMetadata.FILTER, policy))
            .build();
    assertThatThrownBy(() -> XdsConfigDecoder.cluster(changed))
        .isInstanceOfSatisfying(
            XdsDecodingException.class, e -> assertThat(e.field()).isEqualTo(field));
  }

  static Value string(String value) {
    return Value.newBuilder().setStringValue(value).build();
  }

  private static Value number(double value) {
    return Value.newBuilder().setNumberValue(value).build();
  }
}
