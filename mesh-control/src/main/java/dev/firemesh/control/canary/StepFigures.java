package dev.firemesh.control.canary;

import java.util.Locale;

/**
 * What a step's window showed, summed over the callers' sidecars: requests and errors of each
 * version, and their p99 latencies in milliseconds ({@code NaN} without answers).
 */
public record StepFigures(
    long canaryRequests,
    long canaryErrors,
    long stableRequests,
    long stableErrors,
    double canaryP99Millis,
    double stableP99Millis) {
  public static final StepFigures NONE = new StepFigures(0, 0, 0, 0, Double.NaN, Double.NaN);

  static StepFigures of(UpstreamCounters canary, UpstreamCounters stable) {
    return new StepFigures(
        canary.requests(),
        canary.errors(),
        stable.requests(),
        stable.errors(),
        canary.quantileSeconds(0.99) * 1000,
        stable.quantileSeconds(0.99) * 1000);
  }

  public double canaryErrorPercent() {
    return percent(canaryErrors, canaryRequests);
  }

  public double stableErrorPercent() {
    return percent(stableErrors, stableRequests);
  }

  private static double percent(long errors, long requests) {
    return requests == 0 ? 0 : 100.0 * errors / requests;
  }

  /** The figures as key=value pairs, for the log line of a decision. */
  String logText() {
    return String.format(
        Locale.ROOT,
        "canaryRequests=%d canaryErrors=%s stableRequests=%d stableErrors=%s canaryP99=%s"
            + " stableP99=%s",
        canaryRequests,
        percentText(canaryErrorPercent()),
        stableRequests,
        percentText(stableErrorPercent()),
        millisText(canaryP99Millis),
        millisText(stableP99Millis));
  }

  static String percentText(double percent) {
    return String.format(Locale.ROOT, "%.2f%%", percent);
  }

  static String millisText(double millis) {
    return Double.isNaN(millis) ? "n/a" : String.format(Locale.ROOT, "%.2fms", millis);
  }
}
