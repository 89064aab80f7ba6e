package dev.firemesh.control.telemetry;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A search of the trace store: traces that touch {@code service} (any of their spans), with the
 * given outcome, lasting at least {@code minDurationMs}, starting within {@code [from, to)}; newest
 * first, at most {@code limit}.
 */
public record TraceQuery(
    Optional<String> service,
    Outcome outcome,
    double minDurationMs,
    Optional<Instant> from,
    Optional<Instant> to,
    int limit) {
  public static final int DEFAULT_LIMIT = 20;
  public static final int MAX_LIMIT = 1000;

  /** Whether a trace has a failed span. */
  public enum Outcome {
    ANY,
    ERROR,
    OK
  }

  public TraceQuery {
    Objects.requireNonNull(service, "service");
    Objects.requireNonNull(outcome, "outcome");
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(to, "to");
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new IllegalArgumentException("limit must be from 1 to " + MAX_LIMIT + ", got " + limit);
    }
    if (!(minDurationMs >= 0)) {
      throw new IllegalArgumentException("minDurationMs must be 0 or more, got " + minDurationMs);
    }
  }

  public static TraceQuery all() {
    return new TraceQuery(
        Optional.empty(), Outcome.ANY, 0, Optional.empty(), Optional.empty(), DEFAULT_LIMIT);
  }
}
