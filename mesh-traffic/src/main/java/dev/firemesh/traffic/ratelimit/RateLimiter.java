package dev.firemesh.traffic.ratelimit;

import dev.firemesh.traffic.config.InboundPolicy;
import dev.firemesh.traffic.config.RateLimitRule;
import dev.firemesh.traffic.config.RequestView;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The local rate limits of one instance, as its configuration says: for each request, the first
 * rule that matches, whose bucket then grants or refuses a token.
 *
 * <p>{@link #update} swaps in new rules (from any thread; one volatile write), and keeps the
 * buckets of every rule whose name, rate, burst and {@code per} did not change, so that an
 * unrelated configuration change does not hand every caller a full bucket again. A changed rule
 * starts with full buckets. {@link #match} reads the rules once and never locks or allocates.
 */
public final class RateLimiter {
  private static final RuleLimit[] NO_RULES = new RuleLimit[0];

  private final NanoClock clock;
  private final Map<String, RuleCounters> counters = new ConcurrentHashMap<>();
  private volatile RuleLimit[] rules = NO_RULES;

  public RateLimiter(NanoClock clock) {
    this.clock = clock;
  }

  public RateLimiter() {
    this(NanoClock.SYSTEM);
  }

  /** Puts {@code policy}'s rate limits in force. */
  public synchronized void update(InboundPolicy policy) {
    RuleLimit[] previous = rules;
    RuleLimit[] next = new RuleLimit[policy.rateLimits().size()];
    for (int i = 0; i < next.length; i++) {
      RateLimitRule rule = policy.rateLimits().get(i);
      RuleLimit kept = null;
      for (RuleLimit old : previous) {
        if (old.rule().sameBucketsAs(rule)) {
          kept = old;
          break;
        }
      }
      next[i] =
          kept != null
              ? kept.withRule(rule)
              : new RuleLimit(
                  rule, clock, counters.computeIfAbsent(rule.name(), n -> new RuleCounters()));
    }
    rules = next;
  }

  /** The first rule in force that matches {@code request}; empty if none: not limited. */
  public Optional<RuleLimit> match(RequestView request) {
    for (RuleLimit rule : rules) {
      if (rule.rule().matches(request)) {
        return rule.asOptional();
      }
    }
    return Optional.empty();
  }

  /** Whether any rule is in force; without one, a request need not be looked at. */
  public boolean active() {
    return rules.length > 0;
  }

  /** Each rule's counts since the start, by rule name, including rules no longer in force. */
  public Map<String, RuleCounters> counters() {
    return Collections.unmodifiableMap(new TreeMap<>(counters));
  }
}
