/**
 * Distributed tracing per hop: {@link dev.firemesh.telemetry.trace.TraceContext} parses and formats
 * W3C {@code traceparent}/{@code tracestate}; {@link dev.firemesh.telemetry.trace.TraceHop} is what
 * a sidecar does for one request (continue or start a trace, take a span id of its own, build the
 * span when the request ends); {@link dev.firemesh.telemetry.trace.Sampler} decides which new
 * traces are sampled and which finished spans are exported; {@link
 * dev.firemesh.telemetry.trace.HopOutcome} and {@link dev.firemesh.telemetry.trace.SpanConventions}
 * turn what happened into a span named and attributed by OpenTelemetry's HTTP and RPC conventions.
 *
 * <p>Everything here is immutable and allocation-light: a hop whose span is not exported allocates
 * its ids, the outgoing header string and nothing else.
 */
package dev.firemesh.telemetry.trace;
