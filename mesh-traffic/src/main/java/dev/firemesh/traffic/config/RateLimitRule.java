package dev.firemesh.traffic.config;

import java.util.List;
import java.util.Objects;

/**
 * One local rate limit: a token bucket of {@code burst} tokens refilled at {@code tokensPerSecond},
 * for the requests any of {@code matches} accepts (an empty list accepts all), one bucket per
 * {@link Per} key.
 *
 * @param name unique among the rules of a service; names the limit in responses and metrics
 */
public record RateLimitRule(
    String name, List<RequestMatch> matches, double tokensPerSecond, int burst, Per per) {

  public RateLimitRule {
    Objects.requireNonNull(name, "name");
    matches = List.copyOf(matches);
    Objects.requireNonNull(per, "per");
    if (!(tokensPerSecond > 0) || Double.isInfinite(tokensPerSecond) || burst < 1) {
      throw new IllegalArgumentException(
          "rate limit "
              + name
              + ": tokensPerSecond must be positive and finite, burst at least 1, got "
              + tokensPerSecond
              + " and "
              + burst);
    }
  }

  /** What one bucket is shared by. */
  public enum Per {
    /** One bucket per calling service. */
    CALLER,
    /** One bucket for the instance, all callers together. */
    INSTANCE
  }

  public boolean matches(RequestView request) {
    if (matches.isEmpty()) {
      return true;
    }
    for (RequestMatch match : matches) {
      if (match.matches(request)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Whether {@code other} has the same bucket shape (rate, burst, per) under the same name: its
   * buckets can be kept across a configuration update, whatever its matches became.
   */
  public boolean sameBucketsAs(RateLimitRule other) {
    return name.equals(other.name)
        && Double.compare(tokensPerSecond, other.tokensPerSecond) == 0
        && burst == other.burst
        && per == other.per;
  }
}
