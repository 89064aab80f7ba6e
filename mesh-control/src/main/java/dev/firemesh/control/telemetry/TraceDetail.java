package dev.firemesh.control.telemetry;

import java.util.List;
import java.util.Optional;

/**
 * One trace with all its spans, in start order, and the spans worth looking at first.
 *
 * @param rootSpanId the span without a parent here (the earliest, if the trace has several)
 * @param slowestSpanId the span with the most time of its own (its duration less its children's):
 *     where the time went, not merely the root, which always lasts longest
 * @param failingSpanId the failed span none of whose children failed, where the error began (the
 *     earliest such); empty when nothing failed
 */
public record TraceDetail(
    TraceSummary summary,
    List<TraceSpan> spans,
    String rootSpanId,
    String slowestSpanId,
    Optional<String> failingSpanId) {
  public TraceDetail {
    spans = List.copyOf(spans);
  }
}
