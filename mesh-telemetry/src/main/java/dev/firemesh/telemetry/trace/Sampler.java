package dev.firemesh.telemetry.trace;

import java.time.Duration;

/**
 * Which traces are recorded. Two decisions:
 *
 * <ul>
 *   <li>at the start of a new trace, whether it is sampled: by {@code ratio}, deterministically on
 *       the trace id with OpenTelemetry's {@code TraceIdRatioBased} rule (the low 8 bytes as a
 *       signed number, its absolute value below {@code ratio * Long.MAX_VALUE}), so an
 *       OpenTelemetry SDK with the same ratio decides the same for the same trace. A trace that
 *       arrives with a decision keeps it (the {@code sampled} flag travels in {@code traceparent});
 *   <li>at the end of each hop, whether its span is exported: when the trace is sampled, or the hop
 *       failed, or it took longer than {@code slowThreshold}. Errors and slow requests are what an
 *       operator looks for, so they are never lost to the ratio (their trace may be partial: hops
 *       that went well in an unsampled trace export nothing).
 * </ul>
 */
public final class Sampler {
  /** The sidecar's defaults: 1% of new traces, and anything slower than 250 ms. */
  public static final Sampler DEFAULT = new Sampler(0.01, Duration.ofMillis(250));

  private final double ratio;
  private final Duration slowThreshold;
  private final long slowThresholdNanos;
  private final long idUpperBound;

  /**
   * @param ratio the share of new traces sampled, from 0 to 1
   * @param slowThreshold a hop taking longer than this is exported whatever the trace's sampling
   */
  public Sampler(double ratio, Duration slowThreshold) {
    if (!(ratio >= 0 && ratio <= 1)) {
      throw new IllegalArgumentException(
          "the trace sample ratio must be between 0 and 1, got " + ratio);
    }
    if (slowThreshold.isNegative()) {
      throw new IllegalArgumentException(
          "the slow-request threshold must not be negative, got " + slowThreshold);
    }
    this.ratio = ratio;
    this.slowThreshold = slowThreshold;
    this.slowThresholdNanos = saturatedNanos(slowThreshold);
    this.idUpperBound =
        ratio == 0 ? Long.MIN_VALUE : ratio == 1 ? Long.MAX_VALUE : (long) (ratio * Long.MAX_VALUE);
  }

  public double ratio() {
    return ratio;
  }

  public Duration slowThreshold() {
    return slowThreshold;
  }

  /** Whether a trace this hop starts is sampled. */
  public boolean sampleNewTrace(TraceId traceId) {
    if (ratio == 1) {
      return true;
    }
    return Math.abs(traceId.low()) < idUpperBound;
  }

  /**
   * Whether a finished hop's span is exported.
   *
   * @param sampled the trace's sampled flag
   * @param failed whether the hop failed (see {@link HopOutcome#failed()})
   * @param durationNanos how long the hop took
   */
  public boolean exports(boolean sampled, boolean failed, long durationNanos) {
    return sampled || failed || durationNanos > slowThresholdNanos;
  }

  @Override
  public String toString() {
    return "Sampler[ratio=" + ratio + ", slowThreshold=" + slowThreshold + "]";
  }

  private static long saturatedNanos(Duration d) {
    try {
      return d.toNanos();
    } catch (ArithmeticException e) {
      return Long.MAX_VALUE;
    }
  }
}
