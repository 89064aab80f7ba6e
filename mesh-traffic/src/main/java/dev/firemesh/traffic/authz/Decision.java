package dev.firemesh.traffic.authz;

import java.util.List;
import java.util.Objects;

/**
 * The outcome for one call, and what decided it.
 *
 * @param verdict allowed or denied, and why
 * @param policy the policy whose rule decided; {@link #DEFAULT} when no rule did
 * @param rule the index of that rule in its policy; -1 when no rule did
 * @param ruleName that rule's name; {@code ""} if unnamed or no rule did
 * @param dryRunDenials what dry-run policies would have denied (empty when the call is denied)
 */
public record Decision(
    Verdict verdict, String policy, int rule, String ruleName, List<DryRunDenial> dryRunDenials) {

  /** The policy name decisions made by no rule carry, in metrics and logs. */
  public static final String DEFAULT = "default";

  /** Allowed because the service has no enforcing ALLOW policy and no DENY rule matched. */
  public static final Decision NO_POLICY =
      new Decision(Verdict.NO_POLICY, DEFAULT, -1, "", List.of());

  /** Denied because the service has enforcing ALLOW policies and none of their rules matched. */
  public static final Decision DEFAULT_DENY =
      new Decision(Verdict.DEFAULT_DENY, DEFAULT, -1, "", List.of());

  public enum Verdict {
    /** A rule of an ALLOW policy matched. */
    ALLOWED_BY_RULE,
    /** No ALLOW policy enforced for the service, and no DENY rule matched. */
    NO_POLICY,
    /** A rule of a DENY policy matched. */
    DENIED_BY_RULE,
    /** ALLOW policies are enforced for the service and none of their rules matched. */
    DEFAULT_DENY
  }

  public Decision {
    Objects.requireNonNull(verdict, "verdict");
    Objects.requireNonNull(policy, "policy");
    Objects.requireNonNull(ruleName, "ruleName");
    dryRunDenials = List.copyOf(dryRunDenials);
  }

  public boolean allowed() {
    return verdict == Verdict.ALLOWED_BY_RULE || verdict == Verdict.NO_POLICY;
  }

  /** {@code policy/rule}, the rule by name when it has one: how logs and replies name it. */
  public String decidedBy() {
    return describe(policy, rule, ruleName);
  }

  Decision withDryRunDenials(List<DryRunDenial> denials) {
    return new Decision(verdict, policy, rule, ruleName, denials);
  }

  static String describe(String policy, int rule, String ruleName) {
    if (rule < 0) {
      return policy.equals(DEFAULT) ? "default deny" : policy + " (default deny)";
    }
    return policy + " rule " + (ruleName.isEmpty() ? Integer.toString(rule) : ruleName);
  }

  /**
   * A call a dry-run policy would have denied.
   *
   * @param rule the matching DENY rule's index; -1 when a dry-run ALLOW policy matched no rule
   */
  public record DryRunDenial(String policy, int rule, String ruleName) {
    public DryRunDenial {
      Objects.requireNonNull(policy, "policy");
      Objects.requireNonNull(ruleName, "ruleName");
    }

    public String decidedBy() {
      return describe(policy, rule, ruleName);
    }
  }
}
