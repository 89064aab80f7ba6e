package dev.firemesh.api.codec;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.firemesh.api.resource.AuthorizationPolicy;
import dev.firemesh.api.resource.AuthorizationPolicy.Action;
import dev.firemesh.api.resource.AuthorizationPolicy.Condition;
import dev.firemesh.api.resource.AuthorizationPolicy.Operation;
import dev.firemesh.api.resource.AuthorizationPolicy.Rule;
import dev.firemesh.api.resource.AuthorizationPolicy.Source;
import dev.firemesh.api.resource.Metadata;

/**
 * {@code AuthorizationPolicy}: {@code service}, {@code action} (default ALLOW) and {@code rules},
 * each with optional {@code from} (services, identities), {@code to} (methods, paths) and {@code
 * when} (header conditions). A part left out matches everything.
 */
final class AuthorizationPolicyCodec implements KindCodec<AuthorizationPolicy> {

  @Override
  public AuthorizationPolicy read(Metadata metadata, Fields spec) {
    return new AuthorizationPolicy(
        metadata,
        new AuthorizationPolicy.Spec(
            spec.required("service", Values.string(StringRule.NAME), ""),
            spec.optional("action", Values.oneOf(Action.values(), Action::name), Action.ALLOW),
            spec.list("rules", Values.object(AuthorizationPolicyCodec::rule))));
  }

  private static Rule rule(Fields f) {
    Source from =
        f.optional(
            "from",
            Values.object(
                s ->
                    new Source(
                        s.list("services", Values.string(StringRule.NAME)),
                        s.list("identities", Values.string(StringRule.SPIFFE_ID)))),
            Source.ANY);
    Operation to =
        f.optional(
            "to",
            Values.object(
                o ->
                    new Operation(
                        o.list("methods", Values.string(StringRule.HTTP_METHOD)),
                        o.list("paths", Values.string(StringRule.AUTHORIZATION_PATH)))),
            Operation.ANY);
    return new Rule(
        from,
        to,
        f.list(
            "when",
            Values.object(
                c ->
                    new Condition(
                        c.required("header", Values.string(StringRule.HEADER_NAME), ""),
                        c.nonEmptyList("values", Values.string(StringRule.HEADER_VALUE))))));
  }

  @Override
  public ObjectNode writeSpec(AuthorizationPolicy policy) {
    AuthorizationPolicy.Spec s = policy.spec();
    ObjectNode spec = Trees.object().put("service", s.service());
    if (s.action() != Action.ALLOW) {
      spec.put("action", s.action().name());
    }
    ArrayNode rules = Trees.array();
    for (Rule rule : s.rules()) {
      ObjectNode out = rules.addObject();
      ObjectNode from = Trees.object();
      Trees.putUnlessEmpty(from, "services", Trees.strings(rule.from().services()));
      Trees.putUnlessEmpty(from, "identities", Trees.strings(rule.from().identities()));
      Trees.putUnlessEmpty(out, "from", from);
      ObjectNode to = Trees.object();
      Trees.putUnlessEmpty(to, "methods", Trees.strings(rule.to().methods()));
      Trees.putUnlessEmpty(to, "paths", Trees.strings(rule.to().paths()));
      Trees.putUnlessEmpty(out, "to", to);
      ArrayNode when = Trees.array();
      for (Condition c : rule.when()) {
        when.addObject().put("header", c.header()).set("values", Trees.strings(c.values()));
      }
      Trees.putUnlessEmpty(out, "when", when);
    }
    Trees.putUnlessEmpty(spec, "rules", rules);
    return spec;
  }
}
