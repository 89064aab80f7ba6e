package dev.firemesh.xds.translate;

import com.google.protobuf.ListValue;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.firemesh.api.resource.RateLimit;
import dev.firemesh.api.resource.Route;
import io.envoyproxy.envoy.config.core.v3.Metadata;
import java.util.Optional;

/**
 * What a service's own sidecars enforce on the calls they receive, carried beside its ports in the
 * metadata of its {@code <service>} cluster, which every sidecar already receives:
 *
 * <pre>
 * filter_metadata:
 *   dev.firemesh.inbound:
 *     rate_limits:
 *       - name: place-orders
 *         matches: [{prefix: /orders, headers: [{name: ":method", string_match: {exact: POST}}]}]
 *         tokens_per_second: 100
 *         burst: 200
 *         per: caller            # or instance
 * </pre>
 *
 * Each match is the Envoy {@code RouteMatch} a Route's match becomes ({@link ProtoStruct} form), so
 * a rate limit matches requests exactly as a route does. The key is absent when the service has no
 * inbound policy. Authorization policies will join here. Envoy and proxyless gRPC clients ignore
 * metadata they do not know.
 */
public final class InboundPolicyMetadata {
  /** The {@code filter_metadata} key. */
  public static final String FILTER = "dev.firemesh.inbound";

  private InboundPolicyMetadata() {}

  /** {@code metadata} with the service's inbound policy added, if it has one. */
  static Metadata with(Metadata metadata, Optional<RateLimit.Spec> rateLimit) {
    if (rateLimit.isEmpty()) {
      return metadata;
    }
    ListValue.Builder rules = ListValue.newBuilder();
    for (RateLimit.Rule rule : rateLimit.get().rules()) {
      ListValue.Builder matches = ListValue.newBuilder();
      for (Route.Match match : rule.matches()) {
        matches.addValues(
            Value.newBuilder().setStructValue(ProtoStruct.of(RouteMatchTranslator.match(match))));
      }
      rules.addValues(
          Value.newBuilder()
              .setStructValue(
                  Struct.newBuilder()
                      .putFields("name", Value.newBuilder().setStringValue(rule.name()).build())
                      .putFields("matches", Value.newBuilder().setListValue(matches).build())
                      .putFields(
                          "tokens_per_second",
                          Value.newBuilder().setNumberValue(rule.tokensPerSecond()).build())
                      .putFields("burst", Value.newBuilder().setNumberValue(rule.burst()).build())
                      .putFields(
                          "per",
                          Value.newBuilder().setStringValue(rule.per().wireName()).build())));
    }
    return metadata.toBuilder()
        .putFilterMetadata(
            FILTER,
            Struct.newBuilder()
                .putFields("rate_limits", Value.newBuilder().setListValue(rules).build())
                .build())
        .build();
  }
}
