package dev.firemesh.examples.trading.plumbing;

import com.sun.net.httpserver.Headers;
import java.net.http.HttpRequest;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The W3C trace context of the request a service is serving, carried to the calls it makes because
 * of it, so one trace crosses the services. The sidecars make the spans; an app's only part is to
 * pass {@code traceparent} and {@code tracestate} on, unchanged and unread, as a pass-through
 * service should.
 *
 * <p>{@link JsonServer} binds the served request's headers for the handler's duration ({@link
 * ScopedValue}: the handler runs on the exchange's own virtual thread, and any structured subtasks
 * it forks see them too); {@link MeshHttp} adds them to the calls made within. A call made outside
 * a served request (the traffic generator's order flow, market data loading instruments at start)
 * carries none, and the sidecar starts a trace for it.
 *
 * @param traceparent the header's value, or {@code ""} when the request had none
 * @param tracestate the header's fields joined with commas, or {@code ""} when it had none
 */
public record TraceHeaders(String traceparent, String tracestate) {
  public static final String TRACEPARENT = "traceparent";
  public static final String TRACESTATE = "tracestate";

  static final ScopedValue<TraceHeaders> SERVED = ScopedValue.newInstance();

  /** The trace headers of a received request, if it has any. */
  static Optional<TraceHeaders> of(Headers headers) {
    String traceparent = Objects.requireNonNullElse(headers.getFirst(TRACEPARENT), "");
    List<String> states = headers.get(TRACESTATE);
    // Several tracestate fields are one list, joined with commas as HTTP combines fields.
    String tracestate = states == null ? "" : String.join(",", states);
    if (traceparent.isEmpty() && tracestate.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new TraceHeaders(traceparent, tracestate));
  }

  /** Those of the request being served on this thread, if it had any. */
  public static Optional<TraceHeaders> served() {
    return SERVED.isBound() ? Optional.of(SERVED.get()) : Optional.empty();
  }

  void addTo(HttpRequest.Builder request) {
    if (!traceparent.isEmpty()) {
      request.header(TRACEPARENT, traceparent);
    }
    if (!tracestate.isEmpty()) {
      request.header(TRACESTATE, tracestate);
    }
  }
}
