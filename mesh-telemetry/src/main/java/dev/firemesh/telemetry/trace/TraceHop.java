package dev.firemesh.telemetry.trace;

import java.util.Objects;
import java.util.Optional;

/**
 * One request through one of the sidecar's listeners, as a trace sees it.
 *
 * <p>{@link #start} continues the trace the request's {@code traceparent} names, with the caller's
 * span as this hop's parent and the caller's sampling decision kept, or starts a new trace (this
 * hop its root, sampled by the {@link Sampler}'s ratio) when the header is absent or invalid. Each
 * hop takes a span id of its own, and {@link #outgoingTraceparent()} names it, so whatever the
 * request reaches next is this hop's child. {@code tracestate} is forwarded unchanged (normalised;
 * dropped if invalid).
 *
 * <p>{@link #finish} builds the span from the hop's outcome, only when it is to be exported.
 * Immutable: safe to hand from the event loop that started the hop to the one that ends it.
 */
public final class TraceHop {
  private final TraceId traceId;
  private final SpanId spanId;
  private final SpanId parentSpanId;
  private final int flags;
  private final TraceState traceState;
  private final Sampler sampler;
  private final String outgoingTraceparent;
  private final String outgoingTracestate;

  private TraceHop(
      TraceId traceId,
      SpanId spanId,
      SpanId parentSpanId,
      int flags,
      TraceState traceState,
      Sampler sampler) {
    this.traceId = traceId;
    this.spanId = spanId;
    this.parentSpanId = parentSpanId;
    this.flags = flags;
    this.traceState = traceState;
    this.sampler = sampler;
    this.outgoingTraceparent = TraceContext.traceparent(traceId, spanId, flags);
    this.outgoingTracestate = traceState.header();
  }

  /**
   * Begins a hop for a request carrying these headers.
   *
   * @param incomingTraceparent the request's {@code traceparent}; null or empty if it has none
   * @param incomingTracestate the request's {@code tracestate} (several fields joined with commas);
   *     null or empty if it has none
   * @param sampler decides for a new trace now, and for the span at {@link #finish}
   */
  public static TraceHop start(
      String incomingTraceparent, String incomingTracestate, Sampler sampler) {
    Objects.requireNonNull(sampler, "sampler");
    Optional<TraceContext> incoming = TraceContext.parse(incomingTraceparent, incomingTracestate);
    if (incoming.isPresent()) {
      TraceContext parent = incoming.get();
      return new TraceHop(
          parent.traceId(),
          SpanId.random(),
          parent.spanId(),
          parent.flags(),
          parent.traceState(),
          sampler);
    }
    TraceId traceId = TraceId.random();
    int flags = sampler.sampleNewTrace(traceId) ? TraceContext.SAMPLED : 0;
    return new TraceHop(traceId, SpanId.random(), SpanId.NONE, flags, TraceState.EMPTY, sampler);
  }

  public TraceId traceId() {
    return traceId;
  }

  /** This hop's own span id: the parent of whatever the request reaches next. */
  public SpanId spanId() {
    return spanId;
  }

  /** The caller's span, or empty when this hop started the trace. */
  public Optional<SpanId> parentSpanId() {
    return parentSpanId.isNone() ? Optional.empty() : Optional.of(parentSpanId);
  }

  public boolean isRoot() {
    return parentSpanId.isNone();
  }

  public boolean sampled() {
    return (flags & TraceContext.SAMPLED) != 0;
  }

  /** The W3C trace flags this hop forwards. */
  public int flags() {
    return flags;
  }

  /** The {@code traceparent} to send on: this trace, this hop's span, the sampling decision. */
  public String outgoingTraceparent() {
    return outgoingTraceparent;
  }

  /** The {@code tracestate} to send on, or empty to send none. */
  public Optional<String> outgoingTracestate() {
    return outgoingTracestate.isEmpty() ? Optional.empty() : Optional.of(outgoingTracestate);
  }

  /** This hop's context as it is forwarded (for the exchange record, the access log). */
  public TraceContext context() {
    return new TraceContext(traceId, spanId, flags, traceState);
  }

  /**
   * Ends the hop: its span when the sampler exports it (the trace is sampled, the hop failed or was
   * slow), else empty, having built nothing.
   */
  public Optional<Span> finish(HopOutcome outcome) {
    if (!sampler.exports(sampled(), outcome.failed(), outcome.durationNanos())) {
      return Optional.empty();
    }
    return Optional.of(span(outcome));
  }

  /** The span of this hop whatever the sampler says. */
  public Span span(HopOutcome outcome) {
    long start = outcome.startEpochNanos();
    return new Span(
        traceId,
        spanId,
        parentSpanId,
        outgoingTracestate,
        flags,
        SpanConventions.name(outcome),
        outcome.direction().spanKind(),
        start,
        start + outcome.durationNanos(),
        SpanConventions.status(outcome),
        SpanConventions.attributes(outcome));
  }

  @Override
  public String toString() {
    return "TraceHop["
        + outgoingTraceparent
        + (isRoot() ? ", root" : ", parent " + parentSpanId)
        + "]";
  }
}
