package dev.firemesh.traffic.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.firemesh.traffic.config.HeaderMatcher;
import dev.firemesh.traffic.config.InboundPolicy;
import dev.firemesh.traffic.config.PathMatcher;
import dev.firemesh.traffic.config.RateLimitRule;
import dev.firemesh.traffic.config.RateLimitRule.Per;
import dev.firemesh.traffic.config.RequestMatch;
import dev.firemesh.traffic.config.RequestView;
import dev.firemesh.traffic.config.StringMatcher;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Which rule limits a request, whose bucket it takes from, and what survives an update. */
class RateLimiterTest {
  private static final long SECOND = 1_000_000_000L;

  private final AtomicLong clock = new AtomicLong();
  private final RateLimiter limiter = new RateLimiter(clock::get);

  private record Request(String method, String path) implements RequestView {
    @Override
    public Optional<String> header(String lowerCaseName) {
      return Optional.empty();
    }
  }

  private static final RequestMatch POST_ORDERS =
      new RequestMatch(
          new PathMatcher.Prefix("/orders"),
          List.of(new HeaderMatcher(HeaderMatcher.METHOD, new StringMatcher.Exact("POST"), false)));

  private static RateLimitRule placeOrders(double rate, int burst, Per per) {
    return new RateLimitRule("place-orders", List.of(POST_ORDERS), rate, burst, per);
  }

  private static final RateLimitRule EVERYTHING =
      new RateLimitRule("everything", List.of(), 1000, 1000, Per.INSTANCE);

  /** How many of {@code n} requests from {@code caller} the rule that matches admits. */
  private int admitted(RequestView request, String caller, int n) {
    int admitted = 0;
    for (int i = 0; i < n; i++) {
      RuleLimit rule = limiter.match(request).orElseThrow();
      if (rule.acquire(caller) == 0) {
        admitted++;
      }
    }
    return admitted;
  }

  @Test
  void theFirstMatchingRuleAppliesAndUnmatchedRequestsAreNotLimited() {
    limiter.update(new InboundPolicy(List.of(placeOrders(1, 2, Per.INSTANCE), EVERYTHING)));

    assertThat(limiter.match(new Request("POST", "/orders/1")))
        .map(RuleLimit::name)
        .contains("place-orders");
    assertThat(limiter.match(new Request("GET", "/orders/1")))
        .map(RuleLimit::name)
        .contains("everything");

    limiter.update(new InboundPolicy(List.of(placeOrders(1, 2, Per.INSTANCE))));
    assertThat(limiter.match(new Request("GET", "/orders/1"))).isEmpty();
    assertThat(limiter.active()).isTrue();
    limiter.update(InboundPolicy.NONE);
    assertThat(limiter.active()).isFalse();
    assertThat(limiter.match(new Request("POST", "/orders/1"))).isEmpty();
  }

  @Test
  void perCallerGivesEachCallerABucketPerInstanceSharesOne() {
    Request post = new Request("POST", "/orders");
    limiter.update(new InboundPolicy(List.of(placeOrders(1, 3, Per.CALLER))));
    assertThat(admitted(post, "gateway", 10)).isEqualTo(3);
    assertThat(admitted(post, "risk", 10)).isEqualTo(3);

    limiter.update(new InboundPolicy(List.of(placeOrders(1, 3, Per.INSTANCE))));
    assertThat(admitted(post, "gateway", 10)).isEqualTo(3);
    assertThat(admitted(post, "risk", 10)).isZero();
  }

  @Test
  void keepsBucketsAcrossUpdatesThatLeaveTheRuleAloneAndRefillsChangedOnes() {
    Request post = new Request("POST", "/orders");
    RateLimitRule rule = placeOrders(1, 3, Per.CALLER);
    limiter.update(new InboundPolicy(List.of(rule)));
    assertThat(admitted(post, "gateway", 3)).isEqualTo(3);

    // Another rule added before it: the same rule keeps its (empty) bucket.
    limiter.update(
        new InboundPolicy(
            List.of(new RateLimitRule("reads", List.of(), 5, 5, Per.INSTANCE), rule)));
    limiter.update(new InboundPolicy(List.of(rule)));
    assertThat(admitted(post, "gateway", 1)).isZero();

    // A higher limit takes effect at once, with full buckets.
    limiter.update(new InboundPolicy(List.of(placeOrders(1, 10, Per.CALLER))));
    assertThat(admitted(post, "gateway", 20)).isEqualTo(10);
  }

  @Test
  void refusalsSayHowLongUntilTheNextTokenAndTimeRefills() {
    Request post = new Request("POST", "/orders");
    limiter.update(new InboundPolicy(List.of(placeOrders(0.5, 1, Per.INSTANCE))));
    RuleLimit rule = limiter.match(post).orElseThrow();

    assertThat(rule.acquire("gateway")).isZero();
    assertThat(rule.acquire("gateway")).isEqualTo(2 * SECOND);
    clock.addAndGet(SECOND);
    assertThat(rule.acquire("gateway")).isEqualTo(SECOND);
    clock.addAndGet(SECOND);
    assertThat(rule.acquire("gateway")).isZero();
  }

  @Test
  void countsAdmittedAndRefusedRequestsPerRuleAcrossUpdates() {
    Request post = new Request("POST", "/orders");
    limiter.update(new InboundPolicy(List.of(placeOrders(1, 2, Per.INSTANCE))));
    admitted(post, "gateway", 5);
    limiter.update(new InboundPolicy(List.of(placeOrders(1, 4, Per.INSTANCE))));
    admitted(post, "gateway", 5);

    RuleCounters counters = limiter.counters().get("place-orders");
    assertThat(counters.allowed()).isEqualTo(6);
    assertThat(counters.limited()).isEqualTo(4);
  }
}
