package dev.firemesh.proxy.telemetry;

import dev.firemesh.telemetry.otlp.ExportCounts;
import dev.firemesh.telemetry.otlp.OtlpHttpExporter;
import dev.firemesh.telemetry.trace.Direction;
import dev.firemesh.telemetry.trace.HopOutcome;
import dev.firemesh.telemetry.trace.Sampler;
import dev.firemesh.telemetry.trace.TraceHop;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The sidecar's part in distributed tracing. Each request's head starts a {@link TraceHop} on its
 * listener: the caller's W3C {@code traceparent} is continued (or a trace begins, sampled by ratio)
 * and the head goes on naming this hop as the parent of whatever it reaches next. When the request
 * ends, the hop's span is handed to the exporter if its trace is sampled, it failed, or it was slow
 * ({@link Sampler}); the exporter sends OTLP from threads of its own and never blocks this one.
 */
public final class Tracing implements ExchangeObserver, AutoCloseable {
  /** No tracing: heads pass unchanged (a caller's {@code traceparent} included), no spans. */
  public static final Tracing OFF = new Tracing(null, null);

  static final String TRACEPARENT = "traceparent";
  static final String TRACESTATE = "tracestate";

  private final Sampler sampler;
  private final OtlpHttpExporter exporter;

  private Tracing(Sampler sampler, OtlpHttpExporter exporter) {
    this.sampler = sampler;
    this.exporter = exporter;
  }

  /**
   * Traces every request, exporting the spans {@code sampler} keeps through {@code exporter}, which
   * this closes.
   */
  public static Tracing exportingTo(Sampler sampler, OtlpHttpExporter exporter) {
    return new Tracing(
        Objects.requireNonNull(sampler, "sampler"), Objects.requireNonNull(exporter, "exporter"));
  }

  public boolean on() {
    return sampler != null;
  }

  /**
   * Starts this hop of the trace a request's {@code headers} name, and rewrites its trace headers
   * for the next hop.
   *
   * @return the hop; empty when tracing is off (the headers are then left as they are)
   */
  public Optional<TraceHop> start(HttpHeaders headers) {
    if (sampler == null) {
      return Optional.empty();
    }
    List<String> states = headers.getAll(TRACESTATE);
    TraceHop hop =
        TraceHop.start(
            headers.get(TRACEPARENT),
            states.isEmpty()
                ? null
                : states.size() == 1 ? states.getFirst() : String.join(",", states),
            sampler);
    headers.set(TRACEPARENT, hop.outgoingTraceparent());
    hop.outgoingTracestate()
        .ifPresentOrElse(state -> headers.set(TRACESTATE, state), () -> headers.remove(TRACESTATE));
    return Optional.of(hop);
  }

  @Override
  public void exchangeEnded(ExchangeRecord record) {
    if (record.trace().isEmpty()) {
      return;
    }
    record.trace().get().finish(outcome(record)).ifPresent(exporter::offer);
  }

  /** What the span says of the request, from the record (OpenTelemetry's HTTP conventions). */
  static HopOutcome outcome(ExchangeRecord record) {
    String path = record.path();
    int query = path.indexOf('?');
    boolean outbound = record.direction() == Direction.OUTBOUND;
    String server = outbound ? record.upstreamHost() : record.authority();
    int colon = server.lastIndexOf(':');
    String host = colon > 0 ? server.substring(0, colon) : server;
    int port = colon > 0 ? port(server.substring(colon + 1)) : 0;
    return HopOutcome.builder(record.direction())
        .timing(record.startMicros() * 1_000, record.totalMicros() * 1_000)
        .request(record.method(), "http", query < 0 ? path : path.substring(0, query))
        .statusCode(record.status())
        .grpcStatus(record.grpcStatus() < 0 ? HopOutcome.NOT_GRPC : record.grpcStatus())
        .server(host, port)
        .protocolVersion(
            record.protocol() == ExchangeRecord.Protocol.HTTP_1_0
                ? "1.0"
                : record.protocol() == ExchangeRecord.Protocol.HTTP_1_1 ? "1.1" : "2")
        .mesh(record.source(), record.destination(), record.route())
        .errorType(record.flag() == ResponseFlag.NONE ? "" : record.flag().code())
        .build();
  }

  private static int port(String text) {
    try {
      int port = Integer.parseInt(text);
      return port > 0 && port < 65536 ? port : 0;
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  /** What the exporter did with the spans offered so far, over all its endpoints. */
  public ExportCounts exported() {
    return exporter == null ? ExportCounts.ZERO : exporter.totals();
  }

  @Override
  public void close() {
    if (exporter != null) {
      exporter.close();
    }
  }
}
