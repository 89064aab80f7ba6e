package dev.firemesh.control.canary;

import dev.firemesh.api.resource.Canary;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Judges one step of a canary from what the callers' sidecars counted over the step's window, for
 * the canary's cluster and the stable one's. A pure function of its inputs.
 *
 * <ol>
 *   <li>Fewer than {@code minRequests} canary requests: nothing can be said; {@link Decision#WAIT}
 *       (the window grows by an interval), or {@link Decision#HOLD} once {@code maxWaitIntervals}
 *       waits are spent.
 *   <li>The canary's error rate above {@code maxErrorRate}: {@link Decision#ROLL_BACK}.
 *   <li>If the stable version had {@code minRequests} too: its error rate exceeded by more than
 *       {@code maxErrorRateIncrease} points, or its p99 latency by more than {@code maxP99Ratio}
 *       times: {@link Decision#ROLL_BACK}. Latency comes from fixed histogram buckets, so the p99
 *       check fires only when the canary is slower beyond what they can resolve: the lower bound of
 *       the canary's p99 bucket above the ratio times the upper bound of the stable one's.
 *   <li>Otherwise {@link Decision#ADVANCE}, or {@link Decision#PROMOTE} after the last step.
 * </ol>
 */
public final class CanaryJudge {
  private static final double P99 = 0.99;

  private CanaryJudge() {}

  /**
   * @param waits how many times this step's window has already been extended
   * @param lastStep whether this is the run's last step
   */
  static Verdict judge(
      Canary.Analysis analysis,
      UpstreamCounters canary,
      UpstreamCounters stable,
      int waits,
      boolean lastStep) {
    StepFigures figures = StepFigures.of(canary, stable);
    if (canary.requests() < analysis.minRequests()) {
      String few =
          canary.requests() + " canary requests, fewer than minRequests " + analysis.minRequests();
      return waits < analysis.maxWaitIntervals()
          ? new Verdict(
              Decision.WAIT,
              few
                  + "; waiting another interval ("
                  + (waits + 1)
                  + " of "
                  + analysis.maxWaitIntervals()
                  + ")",
              figures)
          : new Verdict(
              Decision.HOLD,
              few
                  + " after "
                  + waits
                  + " extra intervals; holding at this weight until enough come",
              figures);
    }
    double canaryRate = canary.errorPercent();
    if (canaryRate > analysis.maxErrorRate()) {
      return new Verdict(
          Decision.ROLL_BACK,
          "canary error rate "
              + StepFigures.percentText(canaryRate)
              + " is above maxErrorRate "
              + number(analysis.maxErrorRate())
              + "%",
          figures);
    }
    List<String> passed = new ArrayList<>();
    passed.add(
        "canary error rate "
            + StepFigures.percentText(canaryRate)
            + " within "
            + number(analysis.maxErrorRate())
            + "%");
    if (stable.requests() < analysis.minRequests()) {
      passed.add("stable had " + stable.requests() + " requests, too few to compare against");
    } else {
      double stableRate = stable.errorPercent();
      if (canaryRate - stableRate > analysis.maxErrorRateIncrease()) {
        return new Verdict(
            Decision.ROLL_BACK,
            "canary error rate "
                + StepFigures.percentText(canaryRate)
                + " exceeds stable's "
                + StepFigures.percentText(stableRate)
                + " by more than maxErrorRateIncrease "
                + number(analysis.maxErrorRateIncrease())
                + " points",
            figures);
      }
      Optional<UpstreamCounters.Bucket> canaryP99 = canary.quantileBucket(P99);
      Optional<UpstreamCounters.Bucket> stableP99 = stable.quantileBucket(P99);
      if (canaryP99.isPresent() && stableP99.isPresent()) {
        UpstreamCounters.Bucket canaryBucket = canaryP99.get();
        UpstreamCounters.Bucket stableBucket = stableP99.get();
        if (canaryBucket.lower() > analysis.maxP99Ratio() * stableBucket.upper()) {
          return new Verdict(
              Decision.ROLL_BACK,
              "canary p99 "
                  + StepFigures.millisText(figures.canaryP99Millis())
                  + " (at least "
                  + StepFigures.millisText(canaryBucket.lower() * 1000)
                  + ") is more than maxP99Ratio "
                  + number(analysis.maxP99Ratio())
                  + " times stable's "
                  + StepFigures.millisText(figures.stableP99Millis())
                  + " (at most "
                  + StepFigures.millisText(stableBucket.upper() * 1000)
                  + ")",
              figures);
        }
        passed.add("p99 within " + number(analysis.maxP99Ratio()) + "x stable's");
      }
      passed.add(
          "stable error rate "
              + StepFigures.percentText(stableRate)
              + ", increase within "
              + number(analysis.maxErrorRateIncrease())
              + " points");
    }
    return new Verdict(
        lastStep ? Decision.PROMOTE : Decision.ADVANCE, String.join("; ", passed), figures);
  }

  private static String number(double value) {
    return value == Math.rint(value)
        ? Long.toString((long) value)
        : String.format(Locale.ROOT, "%s", value);
  }
}
