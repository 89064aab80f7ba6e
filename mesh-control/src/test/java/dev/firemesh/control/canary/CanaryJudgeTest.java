package dev.firemesh.control.canary;

import static org.assertj.core.api.Assertions.assertThat;

import dev.firemesh.api.resource.Canary;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** Each rule of the judge, on windows as the sidecars' counters would give them. */
class CanaryJudgeTest {
  private static final Canary.Analysis ANALYSIS = new Canary.Analysis(50, 2, 1.0, 0.5, 1.5);

  /** {@code requests} tries, {@code errors} of them failed, all answered within {@code le}. */
  private static UpstreamCounters window(long requests, long errors, double le) {
    TreeMap<Double, Long> buckets = new TreeMap<>();
    for (double bound : new double[] {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1}) {
      buckets.put(bound, bound >= le ? requests : 0L);
    }
    buckets.put(Double.POSITIVE_INFINITY, requests);
    return new UpstreamCounters(requests, errors, buckets);
  }

  @Test
  void aHealthyStepAdvancesAndTheLastOnePromotes() {
    Verdict verdict =
        CanaryJudge.judge(ANALYSIS, window(200, 1, 0.005), window(800, 2, 0.005), 0, false);

    assertThat(verdict.decision()).isEqualTo(Decision.ADVANCE);
    assertThat(verdict.reason())
        .isEqualTo(
            "canary error rate 0.50% within 1%; p99 within 1.5x stable's; stable error rate"
                + " 0.25%, increase within 0.5 points");
    assertThat(verdict.figures().canaryRequests()).isEqualTo(200);
    assertThat(
            CanaryJudge.judge(ANALYSIS, window(200, 0, 0.005), window(800, 0, 0.005), 0, true)
                .decision())
        .isEqualTo(Decision.PROMOTE);
  }

  @Test
  void tooFewCanaryRequestsWaitThenHold() {
    assertThat(CanaryJudge.judge(ANALYSIS, window(49, 49, 1), window(900, 0, 1), 0, false))
        .extracting(Verdict::decision, Verdict::reason)
        .containsExactly(
            Decision.WAIT,
            "49 canary requests, fewer than minRequests 50; waiting another interval (1 of 2)");
    assertThat(CanaryJudge.judge(ANALYSIS, window(10, 0, 1), window(900, 0, 1), 2, false))
        .extracting(Verdict::decision)
        .isEqualTo(Decision.HOLD);
  }

  @Test
  void anErrorRateAboveTheLimitRollsBackWhateverTheStableDoes() {
    Verdict verdict =
        CanaryJudge.judge(ANALYSIS, window(100, 30, 0.005), window(10, 5, 0.005), 0, true);

    assertThat(verdict.decision()).isEqualTo(Decision.ROLL_BACK);
    assertThat(verdict.reason()).isEqualTo("canary error rate 30.00% is above maxErrorRate 1%");
  }

  @Test
  void anIncreaseOverTheStableRateRollsBackOnlyWhenTheStableHadEnoughRequests() {
    Canary.Analysis lenient = new Canary.Analysis(50, 2, 5.0, 0.5, 1.5);

    Verdict compared =
        CanaryJudge.judge(lenient, window(1000, 20, 0.005), window(1000, 10, 0.005), 0, false);
    Verdict alone =
        CanaryJudge.judge(lenient, window(1000, 20, 0.005), window(20, 0, 0.005), 0, false);

    assertThat(compared.decision()).isEqualTo(Decision.ROLL_BACK);
    assertThat(compared.reason())
        .isEqualTo(
            "canary error rate 2.00% exceeds stable's 1.00% by more than maxErrorRateIncrease 0.5"
                + " points");
    assertThat(alone.decision()).isEqualTo(Decision.ADVANCE);
    assertThat(alone.reason()).contains("stable had 20 requests, too few to compare against");
  }

  @Test
  void aSlowerCanaryRollsBackOnlyBeyondWhatTheBucketsResolve() {
    // Same bucket (2.5-5 ms): the histogram cannot tell them apart, whatever the interpolation.
    Verdict sameBucket =
        CanaryJudge.judge(ANALYSIS, window(500, 0, 0.005), window(500, 0, 0.005), 0, false);
    // Next bucket up (5-10 ms): at least 5 ms is not above 1.5 x at most 5 ms.
    Verdict nextBucket =
        CanaryJudge.judge(ANALYSIS, window(500, 0, 0.01), window(500, 0, 0.005), 0, false);
    // 25-50 ms against at most 5 ms: slower for sure.
    Verdict slower =
        CanaryJudge.judge(ANALYSIS, window(500, 0, 0.05), window(500, 0, 0.005), 0, false);

    assertThat(sameBucket.decision()).isEqualTo(Decision.ADVANCE);
    assertThat(nextBucket.decision()).isEqualTo(Decision.ADVANCE);
    assertThat(slower.decision()).isEqualTo(Decision.ROLL_BACK);
    assertThat(slower.reason())
        .isEqualTo(
            "canary p99 49.75ms (at least 25.00ms) is more than maxP99Ratio 1.5 times stable's"
                + " 4.98ms (at most 5.00ms)");
  }

  @Test
  void windowsAreIncreasesAndARestartedSidecarCountsFromItsRestart() {
    UpstreamCounters before = window(100, 1, 0.005);
    UpstreamCounters after = window(250, 4, 0.005);
    UpstreamCounters restarted = window(30, 0, 0.005);

    assertThat(after.since(before).requests()).isEqualTo(150);
    assertThat(after.since(before).errors()).isEqualTo(3);
    assertThat(after.since(before).observations()).isEqualTo(150);
    assertThat(restarted.since(before)).isEqualTo(restarted);
    assertThat(after.plus(restarted).requests()).isEqualTo(280);
    assertThat(UpstreamCounters.NONE.quantileSeconds(0.99)).isNaN();
  }

  @Test
  void theP99IsInterpolatedWithinItsBucketAsPrometheusDoes() {
    UpstreamCounters counters =
        new UpstreamCounters(
            100, 0, new TreeMap<>(Map.of(0.001, 50L, 0.002, 100L, Double.POSITIVE_INFINITY, 100L)));

    // rank 99 of 100: 49 of the 50 answers between 1 and 2 ms.
    assertThat(counters.quantileSeconds(0.99)).isCloseTo(0.00198, within());
    assertThat(counters.quantileSeconds(0.5)).isCloseTo(0.001, within());
  }

  private static org.assertj.core.data.Offset<Double> within() {
    return org.assertj.core.data.Offset.offset(1e-9);
  }
}
