package dev.firemesh.api.codec;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.firemesh.api.resource.Metadata;
import dev.firemesh.api.resource.RateLimit;
import dev.firemesh.api.resource.RateLimit.Per;
import dev.firemesh.api.resource.RateLimit.Rule;
import dev.firemesh.api.resource.Route.Match;
import java.math.BigDecimal;
import java.util.List;

/**
 * {@code RateLimit}: {@code service} and at least one rule. A rule has a required {@code name}
 * (unique: it names the limit in responses and metrics), a {@code match} list read as a Route's,
 * {@code tokensPerSecond} (fractions allowed), {@code burst} and {@code per} (default {@code
 * instance}).
 */
final class RateLimitCodec implements KindCodec<RateLimit> {

  /** One token per 1000 s; slower limits are better expressed as quotas, which these are not. */
  static final BigDecimal MIN_RATE = new BigDecimal("0.001");

  static final BigDecimal MAX_RATE = BigDecimal.valueOf(1_000_000);
  static final int MAX_BURST = 1_000_000;

  @Override
  public RateLimit read(Metadata metadata, Fields spec) {
    String service = spec.required("service", Values.string(StringRule.NAME), "");
    Unique ruleNames = new Unique("rule name");
    List<Rule> rules = spec.nonEmptyList("rules", Values.object(f -> rule(f, ruleNames)));
    return new RateLimit(metadata, new RateLimit.Spec(service, rules));
  }

  private static Rule rule(Fields f, Unique ruleNames) {
    String name = f.required("name", ruleNames.of(Values.string(StringRule.NAME)), "unnamed");
    List<Match> matches = f.list("match", Values.object(RouteCodec::match));
    double rate = f.required("tokensPerSecond", Values.number(MIN_RATE, MAX_RATE), 1.0);
    int burst = f.required("burst", Values.integer(1, MAX_BURST), 1);
    Per per = f.optional("per", Values.oneOf(Per.values(), Per::wireName), Per.INSTANCE);
    return new Rule(name, matches, rate, burst, per);
  }

  @Override
  public ObjectNode writeSpec(RateLimit limit) {
    ObjectNode spec = Trees.object().put("service", limit.spec().service());
    ArrayNode rules = spec.putArray("rules");
    for (Rule rule : limit.spec().rules()) {
      ObjectNode out = rules.addObject().put("name", rule.name());
      ArrayNode matches = Trees.array();
      rule.matches().forEach(m -> matches.add(RouteCodec.writeMatch(m)));
      Trees.putUnlessEmpty(out, "match", matches);
      out.set("tokensPerSecond", Trees.number(rule.tokensPerSecond()));
      out.put("burst", rule.burst());
      if (rule.per() != Per.INSTANCE) {
        out.put("per", rule.per().wireName());
      }
    }
    return spec;
  }
}
