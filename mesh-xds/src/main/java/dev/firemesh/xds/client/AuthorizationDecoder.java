package dev.firemesh.xds.client;

import static dev.firemesh.xds.client.ProtoFields.at;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.firemesh.api.identity.SpiffeId;
import dev.firemesh.api.identity.SpiffeIdPattern;
import dev.firemesh.api.path.RefusedPathException;
import dev.firemesh.api.path.RequestPaths;
import dev.firemesh.api.resource.AuthorizationPolicy;
import dev.firemesh.api.resource.AuthorizationPolicy.Action;
import dev.firemesh.api.resource.AuthorizationPolicy.Condition;
import dev.firemesh.api.resource.AuthorizationPolicy.Mode;
import dev.firemesh.api.resource.AuthorizationPolicy.Operation;
import dev.firemesh.api.resource.AuthorizationPolicy.Rule;
import dev.firemesh.api.resource.AuthorizationPolicy.Source;
import dev.firemesh.api.resource.Metadata;
import dev.firemesh.traffic.authz.AuthorizationRules;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * A service's authorization policies from its inbound metadata ({@code
 * dev.firemesh.xds.translate.InboundPolicyMetadata}), compiled. Everything is checked as the
 * resource's own validation would: a policy the sidecar cannot enforce exactly is refused with the
 * field's path, never read as a weaker one.
 */
final class AuthorizationDecoder {
  private static final Set<String> POLICY = Set.of("name", "action", "dry_run", "rules");
  private static final Set<String> RULE = Set.of("name", "from", "to", "when");
  private static final Set<String> SOURCE =
      Set.of("identities", "services", "envs", "not_identities", "not_services");
  private static final Set<String> OPERATION = Set.of("methods", "paths", "ports");
  private static final Set<String> CONDITION = Set.of("header", "values");

  private AuthorizationDecoder() {}

  static AuthorizationRules decode(String service, Value list, String path) throws FieldProblem {
    if (!list.hasListValue()) {
      throw new FieldProblem(path, "expected a list of authorization policies");
    }
    List<AuthorizationPolicy> policies = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (int i = 0; i < list.getListValue().getValuesCount(); i++) {
      String policyPath = path + "[" + i + "]";
      Struct policy = struct(list.getListValue().getValues(i), policyPath);
      InboundPolicyDecoder.only(policy, policyPath, POLICY);
      String name = label(policy.getFieldsMap(), "name", policyPath);
      if (!names.add(name)) {
        throw new FieldProblem(at(policyPath, "name"), "two authorization policies named " + name);
      }
      Action action =
          switch (field(policy, "action").getStringValue()) {
            case "ALLOW" -> Action.ALLOW;
            case "DENY" -> Action.DENY;
            default -> throw new FieldProblem(at(policyPath, "action"), "expected ALLOW or DENY");
          };
      Mode mode = Mode.ENFORCE;
      if (policy.containsFields("dry_run")) {
        Value dryRun = field(policy, "dry_run");
        if (!dryRun.hasBoolValue()) {
          throw new FieldProblem(at(policyPath, "dry_run"), "expected true or false");
        }
        mode = dryRun.getBoolValue() ? Mode.DRY_RUN : Mode.ENFORCE;
      }
      List<Rule> rules = new ArrayList<>();
      Value ruleList = field(policy, "rules");
      if (policy.containsFields("rules") && !ruleList.hasListValue()) {
        throw new FieldProblem(at(policyPath, "rules"), "expected a list of rules");
      }
      for (int r = 0; r < ruleList.getListValue().getValuesCount(); r++) {
        rules.add(rule(ruleList.getListValue().getValues(r), at(policyPath, "rules", r)));
      }
      policies.add(
          new AuthorizationPolicy(
              Metadata.named(name), new AuthorizationPolicy.Spec(service, action, mode, rules)));
    }
    return AuthorizationRules.compile(policies);
  }

  private static Rule rule(Value value, String path) throws FieldProblem {
    Struct rule = struct(value, path);
    InboundPolicyDecoder.only(rule, path, RULE);
    String name = rule.containsFields("name") ? label(rule.getFieldsMap(), "name", path) : "";
    Source from = Source.ANY;
    if (rule.containsFields("from")) {
      String fromPath = at(path, "from");
      Struct s = struct(field(rule, "from"), fromPath);
      InboundPolicyDecoder.only(s, fromPath, SOURCE);
      from =
          new Source(
              strings(s, "identities", fromPath, SpiffeIdPattern::isValid, IDENTITY),
              strings(s, "services", fromPath, SpiffeId::isLabel, LABEL),
              strings(s, "envs", fromPath, SpiffeId::isLabel, LABEL),
              strings(s, "not_identities", fromPath, SpiffeIdPattern::isValid, IDENTITY),
              strings(s, "not_services", fromPath, SpiffeId::isLabel, LABEL));
    }
    Operation to = Operation.ANY;
    if (rule.containsFields("to")) {
      String toPath = at(path, "to");
      Struct o = struct(field(rule, "to"), toPath);
      InboundPolicyDecoder.only(o, toPath, OPERATION);
      to =
          new Operation(
              strings(o, "methods", toPath, m -> m.matches("[A-Z]{1,16}"), "an upper-case method"),
              strings(o, "paths", toPath, AuthorizationDecoder::isRulePath, PATH),
              strings(o, "ports", toPath, AuthorizationDecoder::isPort, "a port name or number"));
    }
    List<Condition> when = new ArrayList<>();
    Value list = field(rule, "when");
    if (rule.containsFields("when") && !list.hasListValue()) {
      throw new FieldProblem(at(path, "when"), "expected a list of header conditions");
    }
    for (int i = 0; i < list.getListValue().getValuesCount(); i++) {
      String conditionPath = at(path, "when", i);
      Struct c = struct(list.getListValue().getValues(i), conditionPath);
      InboundPolicyDecoder.only(c, conditionPath, CONDITION);
      String header = field(c, "header").getStringValue();
      if (!header.matches("[a-z0-9!#$%&'*+.^_`|~-]{1,256}")) {
        throw new FieldProblem(at(conditionPath, "header"), "expected a lower-case header name");
      }
      when.add(new Condition(header, strings(c, "values", conditionPath, v -> true, "text")));
    }
    return new Rule(name, from, to, when);
  }

  private static final String IDENTITY = "a SPIFFE ID, or a prefix of one ending in /*";
  private static final String LABEL = "a DNS label";
  private static final String PATH = "a path in normal form, optionally ending in *";

  /** A path a request can have once normalised, with an optional trailing {@code *}. */
  private static boolean isRulePath(String path) {
    String p = path.endsWith("*") ? path.substring(0, path.length() - 1) : path;
    if (!p.startsWith("/") || p.indexOf('*') >= 0 || p.indexOf('?') >= 0) {
      return false;
    }
    try {
      return RequestPaths.normalize(p).equals(p);
    } catch (RefusedPathException e) {
      return false;
    }
  }

  private static boolean isPort(String port) {
    if (port.matches("[0-9]{1,5}")) {
      int number = Integer.parseInt(port);
      return number >= 1 && number <= 65535;
    }
    return SpiffeId.isLabel(port);
  }

  private static List<String> strings(
      Struct struct, String key, String path, Predicate<String> valid, String expected)
      throws FieldProblem {
    if (!struct.containsFields(key)) {
      return List.of();
    }
    Value list = field(struct, key);
    if (!list.hasListValue()) {
      throw new FieldProblem(at(path, key), "expected a list");
    }
    List<String> out = new ArrayList<>();
    for (int i = 0; i < list.getListValue().getValuesCount(); i++) {
      Value value = list.getListValue().getValues(i);
      if (!value.hasStringValue() || !valid.test(value.getStringValue())) {
        throw new FieldProblem(at(path, key, i), "expected " + expected);
      }
      out.add(value.getStringValue());
    }
    return out;
  }

  private static String label(Map<String, Value> fields, String key, String path)
      throws FieldProblem {
    Value value = fields.getOrDefault(key, Value.getDefaultInstance());
    if (!value.hasStringValue() || !SpiffeId.isLabel(value.getStringValue())) {
      throw new FieldProblem(at(path, key), "expected " + LABEL);
    }
    return value.getStringValue();
  }

  private static Struct struct(Value value, String path) throws FieldProblem {
    if (!value.hasStructValue()) {
      throw new FieldProblem(path, "expected a mapping");
    }
    return value.getStructValue();
  }

  private static Value field(Struct struct, String key) {
    return struct.getFieldsOrDefault(key, Value.getDefaultInstance());
  }
}
