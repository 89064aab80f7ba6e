package dev.firemesh.api.resource;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * A progressive delivery: shifts the weights of one Route rule from the {@code stable} subset of a
 * service to its {@code canary} subset in steps, judging the canary against the stable version at
 * each step from the callers' sidecars' metrics, and rolling back by itself on regression. The
 * control plane's canary controller carries it out; the resource only says what to do.
 *
 * @param steps the canary's weight in percent at each step, strictly increasing, each 1 to 100
 */
public record Canary(Metadata metadata, Spec spec) implements Resource {

  @Override
  public Kind kind() {
    return Kind.CANARY;
  }

  /**
   * @param route the Route (of {@code service}) whose rule named {@code rule} is rewritten: its
   *     destinations become {@code stable} at {@code 100 - w} and {@code canary} at {@code w}
   */
  public record Spec(
      String service,
      String route,
      String rule,
      String stable,
      String canary,
      List<Integer> steps,
      Duration stepInterval,
      Analysis analysis) {
    public static final Duration DEFAULT_STEP_INTERVAL = Duration.ofMinutes(1);

    public Spec {
      Objects.requireNonNull(service, "service");
      Objects.requireNonNull(route, "route");
      Objects.requireNonNull(rule, "rule");
      Objects.requireNonNull(stable, "stable");
      Objects.requireNonNull(canary, "canary");
      steps = List.copyOf(steps);
      Objects.requireNonNull(stepInterval, "stepInterval");
      Objects.requireNonNull(analysis, "analysis");
    }
  }

  /**
   * What a step must show before the canary gets more traffic.
   *
   * @param minRequests canary requests (tries, as the callers' sidecars count them) a step needs
   *     before it is judged; with fewer the step is extended by another interval
   * @param maxWaitIntervals how many times a step may be extended for lack of requests before the
   *     canary is reported as held (it stays at its weight and is judged once enough have come)
   * @param maxErrorRate the canary's error rate, in percent, above which it is rolled back
   * @param maxErrorRateIncrease percentage points the canary's error rate may exceed the stable
   *     one's (checked when the stable version had {@code minRequests} too)
   * @param maxP99Ratio how many times the stable version's p99 latency the canary's may be (checked
   *     when the stable version had {@code minRequests} too)
   */
  public record Analysis(
      int minRequests,
      int maxWaitIntervals,
      double maxErrorRate,
      double maxErrorRateIncrease,
      double maxP99Ratio) {
    public static final Analysis DEFAULT = new Analysis(50, 3, 1.0, 0.5, 1.5);

    public Analysis {
      if (minRequests < 1 || maxWaitIntervals < 0) {
        throw new IllegalArgumentException("minRequests >= 1 and maxWaitIntervals >= 0");
      }
      if (!(maxP99Ratio >= 1) || !(maxErrorRate >= 0) || !(maxErrorRateIncrease >= 0)) {
        throw new IllegalArgumentException("thresholds must be non-negative, the ratio >= 1");
      }
    }
  }
}
