package dev.firemesh.traffic.authz;

import dev.firemesh.api.resource.AuthorizationPolicy;
import dev.firemesh.api.resource.AuthorizationPolicy.Action;
import dev.firemesh.api.resource.AuthorizationPolicy.Mode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * A service's authorization policies, compiled: immutable, shared by every event loop.
 *
 * <p>For a call: if a rule of an enforcing DENY policy matches, it is denied; else, if the service
 * has enforcing ALLOW policies, it is allowed only when one of their rules matches (default deny);
 * else it is allowed. Policies are taken by name, rules in order; the first match decides. Dry-run
 * policies are then evaluated for an allowed call as if they were enforced, and what they would
 * have denied is reported beside the decision, never acted on.
 *
 * <p>{@link #decide} returns a decision made at compile time unless a dry-run policy finds
 * something: deciding allocates nothing in the steady state.
 */
public final class AuthorizationRules {
  public static final AuthorizationRules NONE = new AuthorizationRules(List.of());

  private final List<AuthorizationPolicy> policies;
  private final CompiledPolicy[] deny;
  private final CompiledPolicy[] allow;
  private final CompiledPolicy[] dryRunDeny;
  private final CompiledPolicy[] dryRunAllow;

  private AuthorizationRules(List<AuthorizationPolicy> policies) {
    this.policies =
        policies.stream().sorted(Comparator.comparing(AuthorizationPolicy::name)).toList();
    this.deny = select(this.policies, Action.DENY, Mode.ENFORCE);
    this.allow = select(this.policies, Action.ALLOW, Mode.ENFORCE);
    this.dryRunDeny = select(this.policies, Action.DENY, Mode.DRY_RUN);
    this.dryRunAllow = select(this.policies, Action.ALLOW, Mode.DRY_RUN);
  }

  /** Compiles one service's policies; their order does not matter (they are taken by name). */
  public static AuthorizationRules compile(List<AuthorizationPolicy> policies) {
    return policies.isEmpty() ? NONE : new AuthorizationRules(List.copyOf(policies));
  }

  /** The policies compiled, by name: what the configuration dump shows. */
  public List<AuthorizationPolicy> policies() {
    return policies;
  }

  /** Whether no policy applies: every call is allowed and nothing is recorded. */
  public boolean isEmpty() {
    return policies.isEmpty();
  }

  public Decision decide(AccessRequest request) {
    Objects.requireNonNull(request, "request");
    for (CompiledPolicy policy : deny) {
      int rule = policy.firstMatch(request);
      if (rule >= 0) {
        return policy.decisions[rule];
      }
    }
    Decision actual = Decision.NO_POLICY;
    if (allow.length > 0) {
      actual = firstAllowed(allow, request);
      if (actual == null) {
        return Decision.DEFAULT_DENY;
      }
    }
    if (dryRunDeny.length == 0 && dryRunAllow.length == 0) {
      return actual;
    }
    List<Decision.DryRunDenial> denials = null;
    for (CompiledPolicy policy : dryRunDeny) {
      int rule = policy.firstMatch(request);
      if (rule >= 0) {
        denials = add(denials, policy.denial(rule));
      }
    }
    // Enforcing a dry-run ALLOW policy changes only calls that nothing else allowed by rule.
    if (dryRunAllow.length > 0
        && actual.verdict() == Decision.Verdict.NO_POLICY
        && firstAllowed(dryRunAllow, request) == null) {
      for (CompiledPolicy policy : dryRunAllow) {
        denials = add(denials, policy.denial(-1));
      }
    }
    return denials == null ? actual : actual.withDryRunDenials(denials);
  }

  private static Decision firstAllowed(CompiledPolicy[] policies, AccessRequest request) {
    for (CompiledPolicy policy : policies) {
      int rule = policy.firstMatch(request);
      if (rule >= 0) {
        return policy.decisions[rule];
      }
    }
    return null;
  }

  private static List<Decision.DryRunDenial> add(
      List<Decision.DryRunDenial> list, Decision.DryRunDenial denial) {
    List<Decision.DryRunDenial> out = list == null ? new ArrayList<>(2) : list;
    out.add(denial);
    return out;
  }

  private static CompiledPolicy[] select(
      List<AuthorizationPolicy> policies, Action action, Mode mode) {
    return policies.stream()
        .filter(p -> p.spec().action() == action && p.spec().mode() == mode)
        .map(CompiledPolicy::new)
        .toArray(CompiledPolicy[]::new);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof AuthorizationRules other && policies.equals(other.policies);
  }

  @Override
  public int hashCode() {
    return policies.hashCode();
  }

  @Override
  public String toString() {
    return "AuthorizationRules" + policies.stream().map(AuthorizationPolicy::name).toList();
  }

  /** One policy's rules, with the decision each would make, built once. */
  private static final class CompiledPolicy {
    final String name;
    final CompiledRule[] rules;
    final Decision[] decisions;

    CompiledPolicy(AuthorizationPolicy policy) {
      this.name = policy.name();
      boolean deny = policy.spec().action() == Action.DENY;
      List<AuthorizationPolicy.Rule> source = policy.spec().rules();
      this.rules = new CompiledRule[source.size()];
      this.decisions = new Decision[source.size()];
      for (int i = 0; i < rules.length; i++) {
        rules[i] = new CompiledRule(source.get(i), deny);
        decisions[i] =
            new Decision(
                deny ? Decision.Verdict.DENIED_BY_RULE : Decision.Verdict.ALLOWED_BY_RULE,
                name,
                i,
                rules[i].name,
                List.of());
      }
    }

    int firstMatch(AccessRequest request) {
      for (int i = 0; i < rules.length; i++) {
        if (rules[i].matches(request)) {
          return i;
        }
      }
      return -1;
    }

    Decision.DryRunDenial denial(int rule) {
      return new Decision.DryRunDenial(name, rule, rule < 0 ? "" : rules[rule].name);
    }
  }
}
