package dev.firemesh.traffic.ratelimit;

import dev.firemesh.traffic.config.RateLimitRule;
import java.util.Optional;

/** A rule in force with its buckets: one for the instance, or one per caller. */
public final class RuleLimit {
  /** The callers one rule keeps a bucket for; the rest share one. */
  static final int MAX_CALLERS = 1024;

  private final RateLimitRule rule;
  private final NanoClock clock;
  private final RuleCounters counters;
  private final TokenBucket instance;
  private final CallerBuckets callers;
  private final Optional<RuleLimit> asOptional = Optional.of(this);

  RuleLimit(RateLimitRule rule, NanoClock clock, RuleCounters counters) {
    this.rule = rule;
    this.clock = clock;
    this.counters = counters;
    long now = clock.nanoTime();
    long interval = TokenBucket.interval(rule.tokensPerSecond());
    this.instance = new TokenBucket(interval, rule.burst(), now);
    this.callers = new CallerBuckets(interval, rule.burst(), MAX_CALLERS, now);
  }

  /** The same buckets under a new rule of the same shape (its matches may differ). */
  private RuleLimit(RuleLimit kept, RateLimitRule rule) {
    this.rule = rule;
    this.clock = kept.clock;
    this.counters = kept.counters;
    this.instance = kept.instance;
    this.callers = kept.callers;
  }

  RuleLimit withRule(RateLimitRule changed) {
    return changed.equals(rule) ? this : new RuleLimit(this, changed);
  }

  public RateLimitRule rule() {
    return rule;
  }

  public String name() {
    return rule.name();
  }

  /**
   * Takes a token for a request from {@code caller} (ignored unless the rule is per caller) and
   * counts the outcome.
   *
   * @return 0 if admitted; otherwise the nanoseconds until a token will be there
   */
  public long acquire(String caller) {
    long now = clock.nanoTime();
    TokenBucket bucket =
        rule.per() == RateLimitRule.Per.CALLER ? callers.of(caller, now) : instance;
    long wait = bucket.tryAcquire(now);
    counters.count(wait == 0);
    return wait;
  }

  /** This rule as a present Optional, made once so that matching a request allocates nothing. */
  Optional<RuleLimit> asOptional() {
    return asOptional;
  }
}
