package dev.firemesh.proxy.telemetry;

import dev.firemesh.telemetry.metrics.GoldenMetrics;
import dev.firemesh.telemetry.metrics.GrpcCodeLabels;
import dev.firemesh.telemetry.metrics.StatusClasses;
import dev.firemesh.telemetry.trace.Direction;
import dev.firemesh.telemetry.trace.TraceHop;
import java.util.Objects;
import java.util.Optional;

/**
 * One request through the sidecar, as it ended: made once, on the listener's event loop, whether
 * the request was forwarded or answered by the sidecar itself, and handed to every {@link
 * ExchangeObserver}. Absent values are empty strings or {@code -1}, never null.
 *
 * @param direction which listener took the request
 * @param source the calling service: outbound, this sidecar's own; inbound, the service of the
 *     caller's verified SPIFFE ID, {@value RouteLabels#UNKNOWN} without one
 * @param destination the called service: outbound, the routed cluster's service (subset dropped;
 *     {@value RouteLabels#UNKNOWN} if the caller named none configured); inbound, this sidecar's
 *     own
 * @param route the route's name ({@value RouteLabels#DEFAULT_ROUTE} when unnamed, {@value
 *     RouteLabels#NO_ROUTE} when none applies: inbound, or nothing matched)
 * @param cluster the cluster the request went to ({@code local_app} inbound); empty if none
 * @param method the request method as the caller sent it
 * @param path the request target as forwarded (after a route's rewrite), query included
 * @param authority the {@code Host} (HTTP/2: {@code :authority}); empty if none
 * @param status the HTTP status sent to the caller; 0 if it got none
 * @param grpcStatus the gRPC status from the response's trailers or head; -1 if there was none
 * @param upstreamHost the {@code host:port} of the last try (reached or not); empty if the sidecar
 *     tried none
 * @param attempts tries upstream, retries and resends included (a refused connect rerouted to
 *     another endpoint is a try too); 0 if answered locally
 * @param requestBytes request body bytes received from the caller
 * @param responseBytes response body bytes sent to the caller
 * @param startMicros when the request began, in microseconds since the epoch
 * @param requestSentMicros from the start until the request head was sent upstream (on the last
 *     try); -1 if it never was
 * @param upstreamHeadersMicros from the request head sent to the response head arriving: the
 *     upstream's time to answer; -1 if no answer came
 * @param responseTransferMicros from the response head to the response's end; -1 without a head
 * @param totalMicros from the start to the end
 * @param requestId {@code x-request-id}
 * @param callerIdentity the SPIFFE ID the caller proved over mTLS (inbound); empty if none
 * @param flag why the sidecar answered itself, or what else decided the outcome
 * @param trace this hop in its trace (its trace id, its own span id, its parent); empty when the
 *     sidecar does not trace or the request was refused before its head was read
 */
public record ExchangeRecord(
    Direction direction,
    String source,
    String destination,
    String route,
    String cluster,
    String method,
    String path,
    String authority,
    Protocol protocol,
    int status,
    int grpcStatus,
    String upstreamHost,
    int attempts,
    long requestBytes,
    long responseBytes,
    long startMicros,
    long requestSentMicros,
    long upstreamHeadersMicros,
    long responseTransferMicros,
    long totalMicros,
    String requestId,
    String callerIdentity,
    ResponseFlag flag,
    Optional<TraceHop> trace) {

  /** What the caller spoke. */
  public enum Protocol {
    HTTP_1_0("HTTP/1.0"),
    HTTP_1_1("HTTP/1.1"),
    HTTP_2("HTTP/2"),
    /** gRPC (over HTTP/2): the request's content type is {@code application/grpc}. */
    GRPC("gRPC");

    private final String label;

    Protocol(String label) {
      this.label = label;
    }

    public String label() {
      return label;
    }
  }

  public ExchangeRecord {
    Objects.requireNonNull(direction, "direction");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(destination, "destination");
    Objects.requireNonNull(route, "route");
    Objects.requireNonNull(cluster, "cluster");
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(authority, "authority");
    Objects.requireNonNull(protocol, "protocol");
    Objects.requireNonNull(upstreamHost, "upstreamHost");
    Objects.requireNonNull(requestId, "requestId");
    Objects.requireNonNull(callerIdentity, "callerIdentity");
    Objects.requireNonNull(flag, "flag");
    Objects.requireNonNull(trace, "trace");
  }

  /** Counts this request in the sidecar's golden metrics, on its edge. */
  public void countIn(GoldenMetrics metrics) {
    metrics.record(
        direction,
        source,
        destination,
        route,
        status,
        grpcStatus,
        totalMicros,
        requestBytes,
        responseBytes);
  }

  /** {@code 1xx} to {@code 5xx}; {@code none} if the caller got no status. */
  public String statusClass() {
    return StatusClasses.label(status);
  }

  /** The gRPC status's name ({@code UNAVAILABLE}); {@code none} without one. */
  public String grpcCode() {
    return GrpcCodeLabels.name(grpcStatus);
  }

  /**
   * Whether the request failed on the server's side or on the way: an HTTP 5xx, or a gRPC status
   * among UNKNOWN, DEADLINE_EXCEEDED, UNIMPLEMENTED, INTERNAL, UNAVAILABLE, DATA_LOSS.
   */
  public boolean error() {
    return (status >= 500 && status < 600)
        || dev.firemesh.telemetry.trace.GrpcCodes.isError(grpcStatus);
  }

  /** The W3C trace id (32 hex digits); empty outside a trace. */
  public String traceId() {
    return trace.map(hop -> hop.traceId().hex()).orElse("");
  }

  /** This hop's span id (16 hex digits); empty outside a trace. */
  public String spanId() {
    return trace.map(hop -> hop.spanId().hex()).orElse("");
  }
}
