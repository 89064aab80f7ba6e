package dev.firemesh.telemetry.trace;

import java.util.Objects;

/**
 * One finished hop, ready to export.
 *
 * @param parentSpanId {@link SpanId#NONE} for the root of a trace
 * @param traceState the {@code tracestate} in force on the hop ({@code ""} if none), as OTLP keeps
 * @param flags the W3C trace flags ({@link TraceContext#SAMPLED}, {@link TraceContext#RANDOM})
 * @param startEpochNanos nanoseconds since the Unix epoch
 * @param endEpochNanos nanoseconds since the Unix epoch, not before the start
 */
public record Span(
    TraceId traceId,
    SpanId spanId,
    SpanId parentSpanId,
    String traceState,
    int flags,
    String name,
    SpanKind kind,
    long startEpochNanos,
    long endEpochNanos,
    SpanStatus status,
    Attributes attributes) {

  public Span {
    Objects.requireNonNull(traceId, "traceId");
    Objects.requireNonNull(parentSpanId, "parentSpanId");
    Objects.requireNonNull(traceState, "traceState");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(attributes, "attributes");
    if (spanId.isNone()) {
      throw new IllegalArgumentException("a span's id must not be all zero");
    }
    if (endEpochNanos < startEpochNanos) {
      throw new IllegalArgumentException(
          "a span cannot end (" + endEpochNanos + ") before it starts (" + startEpochNanos + ")");
    }
  }

  public boolean isRoot() {
    return parentSpanId.isNone();
  }

  public boolean sampled() {
    return (flags & TraceContext.SAMPLED) != 0;
  }

  public long durationNanos() {
    return endEpochNanos - startEpochNanos;
  }
}
