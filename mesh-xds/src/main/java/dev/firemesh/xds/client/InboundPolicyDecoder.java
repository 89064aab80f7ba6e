package dev.firemesh.xds.client;

import static dev.firemesh.xds.client.ProtoFields.at;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.firemesh.traffic.authz.AuthorizationRules;
import dev.firemesh.traffic.config.InboundPolicy;
import dev.firemesh.traffic.config.RateLimitRule;
import dev.firemesh.traffic.config.RequestMatch;
import dev.firemesh.xds.translate.InboundPolicyMetadata;
import dev.firemesh.xds.translate.ProtoStruct;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.route.v3.RouteMatch;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A service's inbound policy from its cluster's {@link InboundPolicyMetadata}: its mTLS mode, its
 * rate limits (each match decoded as a route's) and its authorization policies ({@link
 * AuthorizationDecoder}). Anything the sidecar could not enforce exactly is refused, so that a
 * limit is never silently weaker than the one applied.
 */
final class InboundPolicyDecoder {
  private static final Set<String> POLICY = Set.of("mtls", "rate_limits", "authorization");
  private static final Set<String> RULE =
      Set.of("name", "matches", "tokens_per_second", "burst", "per");
  private static final double MAX_RATE = 1e9;

  private InboundPolicyDecoder() {}

  /** The cluster's inbound policy; empty if its metadata carries none. */
  static Optional<InboundPolicy> decode(Cluster cluster) throws FieldProblem {
    Struct struct = cluster.getMetadata().getFilterMetadataMap().get(InboundPolicyMetadata.FILTER);
    if (struct == null) {
      return Optional.empty();
    }
    String path = "metadata.filter_metadata[" + InboundPolicyMetadata.FILTER + "]";
    only(struct, path, POLICY);
    InboundPolicy.MtlsMode mtls =
        switch (struct.getFieldsOrDefault("mtls", string("permissive")).getStringValue()) {
          case "permissive" -> InboundPolicy.MtlsMode.PERMISSIVE;
          case "strict" -> InboundPolicy.MtlsMode.STRICT;
          default -> throw new FieldProblem(at(path, "mtls"), "expected strict or permissive");
        };
    List<RateLimitRule> rules = new ArrayList<>();
    if (struct.containsFields("rate_limits")) {
      rules = rateLimits(struct.getFieldsOrThrow("rate_limits"), path);
    }
    AuthorizationRules authorization = AuthorizationRules.NONE;
    if (struct.containsFields("authorization")) {
      authorization =
          AuthorizationDecoder.decode(
              cluster.getName(),
              struct.getFieldsOrThrow("authorization"),
              at(path, "authorization"));
    }
    return Optional.of(new InboundPolicy(mtls, rules, authorization));
  }

  private static Value string(String value) {
    return Value.newBuilder().setStringValue(value).build();
  }

  private static List<RateLimitRule> rateLimits(Value list, String path) throws FieldProblem {
    if (!list.hasListValue()) {
      throw new FieldProblem(at(path, "rate_limits"), "expected a list of rate limits");
    }
    List<RateLimitRule> rules = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (int i = 0; i < list.getListValue().getValuesCount(); i++) {
      String rulePath = at(path, "rate_limits", i);
      Value entry = list.getListValue().getValues(i);
      if (!entry.hasStructValue()) {
        throw new FieldProblem(rulePath, "expected {name, matches, tokens_per_second, burst, per}");
      }
      RateLimitRule rule = rule(entry.getStructValue(), rulePath);
      if (!names.add(rule.name())) {
        throw new FieldProblem(at(rulePath, "name"), "two rate limits named " + rule.name());
      }
      rules.add(rule);
    }
    return rules;
  }

  private static RateLimitRule rule(Struct rule, String path) throws FieldProblem {
    only(rule, path, RULE);
    Map<String, Value> fields = rule.getFieldsMap();
    Value name = fields.getOrDefault("name", Value.getDefaultInstance());
    if (!name.hasStringValue() || name.getStringValue().isEmpty()) {
      throw new FieldProblem(at(path, "name"), "expected a non-empty string");
    }
    Value rate = fields.getOrDefault("tokens_per_second", Value.getDefaultInstance());
    if (!rate.hasNumberValue()
        || !(rate.getNumberValue() > 0)
        || rate.getNumberValue() > MAX_RATE) {
      throw new FieldProblem(
          at(path, "tokens_per_second"), "expected a number above 0, at most " + (long) MAX_RATE);
    }
    Value burst = fields.getOrDefault("burst", Value.getDefaultInstance());
    double size = burst.getNumberValue();
    if (!burst.hasNumberValue()
        || size != Math.rint(size)
        || size < 1
        || size > Integer.MAX_VALUE) {
      throw new FieldProblem(at(path, "burst"), "expected a whole number from 1");
    }
    RateLimitRule.Per per =
        switch (fields.getOrDefault("per", Value.getDefaultInstance()).getStringValue()) {
          case "caller" -> RateLimitRule.Per.CALLER;
          case "instance" -> RateLimitRule.Per.INSTANCE;
          default -> throw new FieldProblem(at(path, "per"), "expected caller or instance");
        };
    List<RequestMatch> matches = new ArrayList<>();
    Value list = fields.getOrDefault("matches", Value.getDefaultInstance());
    if (fields.containsKey("matches") && !list.hasListValue()) {
      throw new FieldProblem(at(path, "matches"), "expected a list of route matches");
    }
    for (int i = 0; i < list.getListValue().getValuesCount(); i++) {
      String matchPath = at(path, "matches", i);
      Value entry = list.getListValue().getValues(i);
      if (!entry.hasStructValue()) {
        throw new FieldProblem(matchPath, "expected a route match");
      }
      RouteMatch match;
      try {
        match =
            ProtoStruct.read(entry.getStructValue(), RouteMatch.newBuilder(), matchPath).build();
      } catch (IllegalArgumentException e) {
        throw new FieldProblem(matchPath, e.getMessage());
      }
      matches.add(MatchDecoder.match(match, matchPath));
    }
    return new RateLimitRule(
        name.getStringValue(), matches, rate.getNumberValue(), (int) size, per);
  }

  static void only(Struct struct, String path, Set<String> known) throws FieldProblem {
    for (String field : struct.getFieldsMap().keySet()) {
      if (!known.contains(field)) {
        throw new FieldProblem(at(path, field), "unknown field");
      }
    }
  }
}
