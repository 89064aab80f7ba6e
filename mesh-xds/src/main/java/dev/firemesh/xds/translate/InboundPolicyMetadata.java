package dev.firemesh.xds.translate;

import com.google.protobuf.ListValue;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.firemesh.api.resource.AuthorizationPolicy;
import dev.firemesh.api.resource.MutualTls;
import dev.firemesh.api.resource.RateLimit;
import dev.firemesh.api.resource.Route;
import io.envoyproxy.envoy.config.core.v3.Metadata;
import java.util.List;
import java.util.Optional;

/**
 * What a service's own sidecars enforce on the calls they receive, carried beside its ports in the
 * metadata of its {@code <service>} cluster, which every sidecar already receives:
 *
 * <pre>
 * filter_metadata:
 *   dev.firemesh.inbound:
 *     mtls: strict                 # the service's effective mode; absent: permissive
 *     rate_limits:
 *       - name: place-orders
 *         matches: [{prefix: /orders, headers: [{name: ":method", string_match: {exact: POST}}]}]
 *         tokens_per_second: 100
 *         burst: 200
 *         per: caller            # or instance
 *     authorization:             # the service's AuthorizationPolicies, by name
 *       - name: orders-from-gateway
 *         action: ALLOW          # or DENY
 *         dry_run: true          # absent: enforced
 *         rules:
 *           - name: gw           # absent if the rule has none
 *             from: {identities: [...], services: [gateway], envs: [...], not_identities: [...],
 *                    not_services: [...]}
 *             to: {methods: [POST], paths: [/orders, /orders/*], ports: [http, "9090"]}
 *             when: [{header: x-desk, values: [fx]}, {header: x-trader}]   # no values: present
 * </pre>
 *
 * Each rate limit match is the Envoy {@code RouteMatch} a Route's match becomes ({@link
 * ProtoStruct} form), so a rate limit matches requests exactly as a route does. Parts that say
 * nothing are left out; the key is absent when the service has no inbound policy and is permissive.
 * Envoy and proxyless gRPC clients ignore metadata they do not know.
 *
 * <p>Envoy's own way to authorize at the callee is its RBAC HTTP filter on the inbound listener.
 * FireMesh carries its policies here instead because one engine ({@code
 * dev.firemesh.traffic.authz}) decides for the sidecar and the chassis's direct channel alike, with
 * dry run, named rules and fail-safe case rules that RBAC does not express the same way.
 */
public final class InboundPolicyMetadata {
  /** The {@code filter_metadata} key. */
  public static final String FILTER = "dev.firemesh.inbound";

  private InboundPolicyMetadata() {}

  /** {@code metadata} with the service's inbound policy added, if it has one. */
  static Metadata with(
      Metadata metadata,
      Optional<RateLimit.Spec> rateLimit,
      List<AuthorizationPolicy> authorization,
      MutualTls.Mode mtls) {
    if (rateLimit.isEmpty() && authorization.isEmpty() && mtls == MutualTls.Mode.PERMISSIVE) {
      return metadata;
    }
    Struct.Builder policy = Struct.newBuilder();
    if (mtls != MutualTls.Mode.PERMISSIVE) {
      policy.putFields("mtls", string(mtls.wireName()));
    }
    rateLimit.ifPresent(limit -> policy.putFields("rate_limits", list(rateLimits(limit))));
    if (!authorization.isEmpty()) {
      ListValue.Builder policies = ListValue.newBuilder();
      authorization.forEach(p -> policies.addValues(struct(authorization(p))));
      policy.putFields("authorization", list(policies));
    }
    return metadata.toBuilder().putFilterMetadata(FILTER, policy.build()).build();
  }

  private static ListValue.Builder rateLimits(RateLimit.Spec rateLimit) {
    ListValue.Builder rules = ListValue.newBuilder();
    for (RateLimit.Rule rule : rateLimit.rules()) {
      ListValue.Builder matches = ListValue.newBuilder();
      for (Route.Match match : rule.matches()) {
        matches.addValues(
            Value.newBuilder().setStructValue(ProtoStruct.of(RouteMatchTranslator.match(match))));
      }
      rules.addValues(
          Value.newBuilder()
              .setStructValue(
                  Struct.newBuilder()
                      .putFields("name", string(rule.name()))
                      .putFields("matches", list(matches))
                      .putFields(
                          "tokens_per_second",
                          Value.newBuilder().setNumberValue(rule.tokensPerSecond()).build())
                      .putFields("burst", Value.newBuilder().setNumberValue(rule.burst()).build())
                      .putFields("per", string(rule.per().wireName()))));
    }
    return rules;
  }

  private static Struct.Builder authorization(AuthorizationPolicy policy) {
    Struct.Builder out =
        Struct.newBuilder()
            .putFields("name", string(policy.name()))
            .putFields("action", string(policy.spec().action().name()));
    if (policy.spec().mode() == AuthorizationPolicy.Mode.DRY_RUN) {
      out.putFields("dry_run", Value.newBuilder().setBoolValue(true).build());
    }
    ListValue.Builder rules = ListValue.newBuilder();
    for (AuthorizationPolicy.Rule rule : policy.spec().rules()) {
      Struct.Builder r = Struct.newBuilder();
      if (!rule.name().isEmpty()) {
        r.putFields("name", string(rule.name()));
      }
      AuthorizationPolicy.Source from = rule.from();
      Struct.Builder source = Struct.newBuilder();
      putUnlessEmpty(source, "identities", from.identities());
      putUnlessEmpty(source, "services", from.services());
      putUnlessEmpty(source, "envs", from.envs());
      putUnlessEmpty(source, "not_identities", from.notIdentities());
      putUnlessEmpty(source, "not_services", from.notServices());
      if (source.getFieldsCount() > 0) {
        r.putFields("from", struct(source));
      }
      Struct.Builder operation = Struct.newBuilder();
      putUnlessEmpty(operation, "methods", rule.to().methods());
      putUnlessEmpty(operation, "paths", rule.to().paths());
      putUnlessEmpty(operation, "ports", rule.to().ports());
      if (operation.getFieldsCount() > 0) {
        r.putFields("to", struct(operation));
      }
      if (!rule.when().isEmpty()) {
        ListValue.Builder when = ListValue.newBuilder();
        for (AuthorizationPolicy.Condition c : rule.when()) {
          Struct.Builder condition = Struct.newBuilder().putFields("header", string(c.header()));
          putUnlessEmpty(condition, "values", c.values());
          when.addValues(struct(condition));
        }
        r.putFields("when", list(when));
      }
      rules.addValues(struct(r));
    }
    return out.putFields("rules", list(rules));
  }

  private static void putUnlessEmpty(Struct.Builder struct, String key, List<String> values) {
    if (!values.isEmpty()) {
      ListValue.Builder list = ListValue.newBuilder();
      values.forEach(v -> list.addValues(string(v)));
      struct.putFields(key, list(list));
    }
  }

  private static Value string(String value) {
    return Value.newBuilder().setStringValue(value).build();
  }

  private static Value list(ListValue.Builder list) {
    return Value.newBuilder().setListValue(list).build();
  }

  private static Value struct(Struct.Builder struct) {
    return Value.newBuilder().setStructValue(struct).build();
  }
}
