package dev.firemesh.traffic.authz;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * The authorization rules in force for one instance, and the decisions they made. {@link #update}
 * swaps the rules (one volatile write, from any thread); {@link #decide} reads them once, decides
 * and counts, without a lock.
 */
public final class Authorizer {
  private final Map<String, DecisionCounters> counters = new ConcurrentHashMap<>();
  private volatile AuthorizationRules rules = AuthorizationRules.NONE;

  /** Puts {@code rules} in force for calls decided from now on. */
  public void update(AuthorizationRules rules) {
    this.rules = rules;
  }

  public AuthorizationRules rules() {
    return rules;
  }

  /** Whether any policy is in force; without one, a call need not be looked at. */
  public boolean active() {
    return !rules.isEmpty();
  }

  /** Decides {@code request} and counts the decision under its policy's name. */
  public Decision decide(AccessRequest request) {
    Decision decision = rules.decide(request);
    counters(decision.policy()).count(decision.allowed());
    for (Decision.DryRunDenial denial : decision.dryRunDenials()) {
      counters(denial.policy()).dryRunDenied.increment();
    }
    return decision;
  }

  private DecisionCounters counters(String policy) {
    DecisionCounters existing = counters.get(policy);
    return existing != null
        ? existing
        : counters.computeIfAbsent(policy, p -> new DecisionCounters());
  }

  /**
   * Decisions by policy name ({@link Decision#DEFAULT} for those no rule made), since the start,
   * including policies no longer in force: counters only grow. Names come from the configuration,
   * so their number is bounded by it, never by traffic.
   */
  public Map<String, DecisionCounters> counters() {
    return Collections.unmodifiableMap(new TreeMap<>(counters));
  }

  /** The decisions one policy made. */
  public static final class DecisionCounters {
    private final LongAdder allowed = new LongAdder();
    private final LongAdder denied = new LongAdder();
    private final LongAdder dryRunDenied = new LongAdder();

    void count(boolean allow) {
      (allow ? allowed : denied).increment();
    }

    public long allowed() {
      return allowed.sum();
    }

    public long denied() {
      return denied.sum();
    }

    /** Calls the policy, in dry run, would have denied. */
    public long dryRunDenied() {
      return dryRunDenied.sum();
    }
  }
}
