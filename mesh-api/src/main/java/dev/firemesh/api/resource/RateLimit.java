package dev.firemesh.api.resource;

import java.util.List;
import java.util.Objects;

/**
 * Local rate limits of one service: each of its instances' sidecars admits at most {@code burst}
 * requests at once and {@code tokensPerSecond} on average to the requests a rule matches, answering
 * the rest with 429 (gRPC: RESOURCE_EXHAUSTED) and a {@code retry-after}. The first rule whose
 * match accepts a request applies; a request no rule matches is not limited.
 *
 * <p>Limits are per instance: a service with three instances admits up to three times the rate.
 */
public record RateLimit(Metadata metadata, Spec spec) implements Resource {

  @Override
  public Kind kind() {
    return Kind.RATE_LIMIT;
  }

  /** {@code service} names the Service whose instances enforce the rules, on their inbound side. */
  public record Spec(String service, List<Rule> rules) {
    public Spec {
      Objects.requireNonNull(service, "service");
      rules = List.copyOf(rules);
    }
  }

  /**
   * A token bucket of {@code burst} tokens refilled at {@code tokensPerSecond}, one per {@code per}
   * key. A rule applies when any of its matches accepts the request (an empty list accepts all);
   * matches read as a Route's.
   */
  public record Rule(
      String name, List<Route.Match> matches, double tokensPerSecond, int burst, Per per) {
    public Rule {
      Objects.requireNonNull(name, "name");
      matches = List.copyOf(matches);
      Objects.requireNonNull(per, "per");
      if (!(tokensPerSecond > 0) || burst < 1) {
        throw new IllegalArgumentException(
            "tokensPerSecond must be positive and burst at least 1: "
                + tokensPerSecond
                + ", "
                + burst);
      }
    }
  }

  /** What one bucket is shared by. */
  public enum Per {
    /** One bucket per calling service: a noisy caller cannot starve the others. */
    CALLER("caller"),
    /** One bucket for the whole instance, all callers together. */
    INSTANCE("instance");

    private final String wireName;

    Per(String wireName) {
      this.wireName = wireName;
    }

    public String wireName() {
      return wireName;
    }
  }
}
