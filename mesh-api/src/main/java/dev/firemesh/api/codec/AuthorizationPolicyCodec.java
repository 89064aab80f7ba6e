package dev.firemesh.api.codec;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.firemesh.api.resource.AuthorizationPolicy;
import dev.firemesh.api.resource.AuthorizationPolicy.Action;
import dev.firemesh.api.resource.AuthorizationPolicy.Condition;
import dev.firemesh.api.resource.AuthorizationPolicy.Mode;
import dev.firemesh.api.resource.AuthorizationPolicy.Operation;
import dev.firemesh.api.resource.AuthorizationPolicy.Rule;
import dev.firemesh.api.resource.AuthorizationPolicy.Source;
import dev.firemesh.api.resource.Metadata;
import java.util.List;
import java.util.Optional;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.Tag;

/**
 * {@code AuthorizationPolicy}: {@code service}, {@code action} (default ALLOW), {@code mode}
 * (default {@code enforce}) and {@code rules}, each with an optional unique {@code name}, optional
 * {@code from} (identities, services, envs, notIdentities, notServices), {@code to} (methods,
 * paths, ports) and {@code when} (header conditions: {@code values}, or {@code present: true}). A
 * part left out matches everything.
 */
final class AuthorizationPolicyCodec implements KindCodec<AuthorizationPolicy> {

  /** What metrics and logs call the decisions no rule made (default deny, no policy). */
  static final String RESERVED_NAME = "default";

  @Override
  public AuthorizationPolicy read(Metadata metadata, Fields spec) {
    if (metadata.name().equals(RESERVED_NAME)) {
      spec.context()
          .problemAt(
              "metadata.name",
              "\"default\" is reserved: metrics and logs name decisions no policy made so");
    }
    String service = spec.required("service", Values.string(StringRule.NAME), "");
    Action action =
        spec.optional("action", Values.oneOf(Action.values(), Action::name), Action.ALLOW);
    Mode mode = spec.optional("mode", Values.oneOf(Mode.values(), Mode::wireName), Mode.ENFORCE);
    Unique ruleNames = new Unique("rule name");
    List<Rule> rules = spec.list("rules", Values.object(f -> rule(f, ruleNames)));
    return new AuthorizationPolicy(
        metadata, new AuthorizationPolicy.Spec(service, action, mode, rules));
  }

  private static Rule rule(Fields f, Unique ruleNames) {
    String name = f.optional("name", ruleNames.of(Values.string(StringRule.NAME)), "");
    Source from = f.optional("from", Values.object(AuthorizationPolicyCodec::source), Source.ANY);
    Operation to =
        f.optional("to", Values.object(AuthorizationPolicyCodec::operation), Operation.ANY);
    List<Condition> when = f.list("when", Values.object(AuthorizationPolicyCodec::condition));
    return new Rule(name, from, to, when);
  }

  private static Source source(Fields s) {
    ValueReader<String> identity = Values.string(StringRule.SPIFFE_ID_OR_PREFIX);
    return new Source(
        s.list("identities", identity),
        s.list("services", Values.string(StringRule.NAME)),
        s.list("envs", Values.string(StringRule.NAME)),
        s.list("notIdentities", identity),
        s.list("notServices", Values.string(StringRule.NAME)));
  }

  private static Operation operation(Fields o) {
    return new Operation(
        o.list("methods", Values.string(StringRule.HTTP_METHOD)),
        o.list("paths", Values.string(StringRule.AUTHORIZATION_PATH)),
        o.list("ports", PORT));
  }

  /** Header {@code values}, or {@code present: true}; exactly one of them. */
  private static Condition condition(Fields c) {
    String header = c.required("header", Values.string(StringRule.HEADER_NAME), "");
    boolean hasValues = c.present("values");
    boolean hasPresent = c.present("present");
    if (hasValues && hasPresent) {
      c.context().problemAt(c.pathOf("present"), "give values or present: true, not both");
      return Condition.present(header);
    }
    if (hasPresent) {
      boolean present = c.optional("present", Values.bool(), true);
      if (!present) {
        c.context()
            .problemAt(
                c.pathOf("present"),
                "expected true (a condition on a header's absence is not supported)");
      }
      return Condition.present(header);
    }
    if (!hasValues) {
      c.context()
          .problem(c.position(), c.pathOf("values"), "missing required field (or present: true)");
      c.skip("values");
      return Condition.present(header);
    }
    return new Condition(header, c.nonEmptyList("values", Values.string(StringRule.HEADER_VALUE)));
  }

  /** A service port: its number (1 to 65535) or its name. */
  static final ValueReader<String> PORT =
      (context, node, field) -> {
        if (node instanceof ScalarNode s && s.getTag().equals(Tag.INT)) {
          return Values.integer(1, 65535).read(context, node, field).map(String::valueOf);
        }
        if (node instanceof ScalarNode s && s.getTag().equals(Tag.STR)) {
          if (!s.getValue().isEmpty() && s.getValue().chars().allMatch(Character::isDigit)) {
            // "01" would be a name no port has and would read back as the number 1.
            context.visit(node, field);
            context.problem(
                node,
                field,
                "a port name has at least one letter; write a port number without quotes, got "
                    + Values.describe(node));
            return Optional.empty();
          }
          return Values.string(StringRule.NAME).read(context, node, field);
        }
        context.visit(node, field);
        context.problem(
            node,
            field,
            "expected a port number from 1 to 65535 or a port name, got " + Values.describe(node));
        return Optional.empty();
      };

  @Override
  public ObjectNode writeSpec(AuthorizationPolicy policy) {
    AuthorizationPolicy.Spec s = policy.spec();
    ObjectNode spec = Trees.object().put("service", s.service());
    if (s.action() != Action.ALLOW) {
      spec.put("action", s.action().name());
    }
    if (s.mode() != Mode.ENFORCE) {
      spec.put("mode", s.mode().wireName());
    }
    ArrayNode rules = Trees.array();
    for (Rule rule : s.rules()) {
      ObjectNode out = rules.addObject();
      if (!rule.name().isEmpty()) {
        out.put("name", rule.name());
      }
      Source source = rule.from();
      ObjectNode from = Trees.object();
      Trees.putUnlessEmpty(from, "identities", Trees.strings(source.identities()));
      Trees.putUnlessEmpty(from, "services", Trees.strings(source.services()));
      Trees.putUnlessEmpty(from, "envs", Trees.strings(source.envs()));
      Trees.putUnlessEmpty(from, "notIdentities", Trees.strings(source.notIdentities()));
      Trees.putUnlessEmpty(from, "notServices", Trees.strings(source.notServices()));
      Trees.putUnlessEmpty(out, "from", from);
      ObjectNode to = Trees.object();
      Trees.putUnlessEmpty(to, "methods", Trees.strings(rule.to().methods()));
      Trees.putUnlessEmpty(to, "paths", Trees.strings(rule.to().paths()));
      ArrayNode ports = Trees.array();
      for (String port : rule.to().ports()) {
        if (port.chars().allMatch(Character::isDigit)) {
          ports.add(Integer.parseInt(port));
        } else {
          ports.add(port);
        }
      }
      Trees.putUnlessEmpty(to, "ports", ports);
      Trees.putUnlessEmpty(out, "to", to);
      ArrayNode when = Trees.array();
      for (Condition c : rule.when()) {
        ObjectNode condition = when.addObject().put("header", c.header());
        if (c.presentOnly()) {
          condition.put("present", true);
        } else {
          condition.set("values", Trees.strings(c.values()));
        }
      }
      Trees.putUnlessEmpty(out, "when", when);
    }
    Trees.putUnlessEmpty(spec, "rules", rules);
    return spec;
  }
}
