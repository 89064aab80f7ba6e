package dev.firemesh.control.telemetry;

import java.util.Objects;

/**
 * Requests, errors among them, and their latency histogram: either counters as a sidecar exposes
 * them (totals since it started) or the increase of those counters over an interval.
 */
public record Figures(long requests, long errors, LatencyHistogram latency) {
  public static final Figures NONE = new Figures(0, 0, LatencyHistogram.EMPTY);

  public Figures {
    Objects.requireNonNull(latency, "latency");
  }

  public Figures plus(Figures other) {
    return new Figures(
        requests + other.requests, errors + other.errors, latency.plus(other.latency));
  }

  /**
   * The increase since {@code earlier}, the same source's counters at the interval's start. A
   * counter that went down means the source restarted in between: the increase is then everything
   * counted since, as Prometheus's {@code increase()} takes it.
   */
  public Figures since(Figures earlier) {
    boolean reset =
        requests < earlier.requests
            || errors < earlier.errors
            || latency.fellBelow(earlier.latency);
    if (reset) {
      return this;
    }
    return new Figures(
        requests - earlier.requests, errors - earlier.errors, latency.minus(earlier.latency));
  }

  /** Errors per request; NaN without requests. */
  public double errorRate() {
    return requests == 0 ? Double.NaN : (double) errors / requests;
  }
}
