package dev.firemesh.traffic.retry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.firemesh.traffic.config.HeaderMatcher;
import dev.firemesh.traffic.config.RequestView;
import dev.firemesh.traffic.config.RouteAction;
import dev.firemesh.traffic.config.StringMatcher;
import dev.firemesh.traffic.route.Outcome;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class RetryRuleTest {

  private record Call(String method, Map<String, String> headers) implements RequestView {
    @Override
    public String path() {
      return "/orders";
    }

    @Override
    public Optional<String> header(String name) {
      return Optional.ofNullable(headers.get(name));
    }
  }

  private static RetryRule rule(String... on) {
    return new RetryRule(
        new RouteAction.Retry(
            3, Duration.ZERO, Set.of(on), Duration.ofMillis(25), Duration.ofMillis(250)));
  }

  @Test
  void byDefaultOnlyIdempotentMethodsAreSafeToRepeat() {
    RetryRule rule = rule("5xx");
    for (String method : List.of("GET", "HEAD", "OPTIONS", "TRACE", "PUT", "DELETE")) {
      assertThat(rule.permits(new Call(method, Map.of()))).as(method).isTrue();
    }
    assertThat(rule.permits(new Call("POST", Map.of()))).isFalse();
    assertThat(rule.permits(new Call("PATCH", Map.of()))).isFalse();
    // Without opting in, an Idempotency-Key changes nothing.
    assertThat(rule.permits(new Call("POST", Map.of("idempotency-key", "k")))).isFalse();
  }

  @Test
  void aRouteThatOptsInLetsAnIdempotencyKeyVouchForAPost() {
    RetryRule rule =
        new RetryRule(
            new RouteAction.Retry(
                2,
                Duration.ZERO,
                Set.of("5xx"),
                Duration.ZERO,
                Duration.ZERO,
                List.of(new HeaderMatcher("idempotency-key", new StringMatcher.Present(), false))));
    assertThat(rule.permits(new Call("POST", Map.of("idempotency-key", "order-7")))).isTrue();
    assertThat(rule.permits(new Call("POST", Map.of()))).isFalse();
  }

  @Test
  void noRetriesPermitNothing() {
    assertThat(RetryRule.NONE.permits(new Call("GET", Map.of()))).isFalse();
  }

  @Test
  void conditionsSelectTheFailuresWorthAnotherTry() {
    assertThat(rule("5xx").retriable(Outcome.response(500), -1)).isTrue();
    assertThat(rule("5xx").retriable(Outcome.response(404), -1)).isFalse();
    assertThat(rule("5xx").retriable(Outcome.RESET, -1)).isTrue();
    assertThat(rule("gateway-error").retriable(Outcome.response(500), -1)).isFalse();
    assertThat(rule("gateway-error").retriable(Outcome.response(503), -1)).isTrue();
    assertThat(rule("gateway-error").retriable(Outcome.TIMEOUT, -1)).isTrue();
    assertThat(rule("connect-failure").retriable(Outcome.CONNECT_FAILURE, -1)).isTrue();
    assertThat(rule("connect-failure").retriable(Outcome.RESET, -1)).isFalse();
    assertThat(rule("reset").retriable(Outcome.RESET, -1)).isTrue();
    assertThat(rule("reset").retriable(Outcome.response(503), -1)).isFalse();
    // gRPC statuses come in a trailers-only answer, whose HTTP status is 200.
    assertThat(rule("unavailable").retriable(Outcome.response(200), 14)).isTrue();
    assertThat(rule("unavailable").retriable(Outcome.response(200), 4)).isFalse();
    assertThat(rule("deadline-exceeded").retriable(Outcome.response(200), 4)).isTrue();
    assertThat(rule("refused-stream").retriesRefusedStream()).isTrue();
    assertThat(rule("connect-failure").retriesRefusedStream()).isFalse();
  }

  @Property
  void backOffIsJitteredWithinItsExponentialCeiling(
      @ForAll @IntRange(min = 1, max = 40) int retry, @ForAll long seed) {
    RetryRule rule = rule("5xx");
    long delay = rule.backoffNanos(retry, new SplittableRandom(seed));
    long base = Duration.ofMillis(25).toNanos();
    long ceiling =
        Math.min(Duration.ofMillis(250).toNanos(), base * ((1L << Math.min(retry, 30)) - 1));
    assertThat(delay).isBetween(0L, ceiling);
  }

  @Test
  void backOffSpreadsOutRatherThanRepeatingOneValue() {
    RetryRule rule = rule("5xx");
    SplittableRandom random = new SplittableRandom(7);
    long distinct =
        java.util.stream.IntStream.range(0, 100)
            .mapToLong(i -> rule.backoffNanos(2, random))
            .distinct()
            .count();
    assertThat(distinct).isGreaterThan(90);
  }
}
