package dev.firemesh.chassis.grpc;

import dev.firemesh.chassis.http.ChassisServer;
import dev.firemesh.chassis.telemetry.CurrentRequest;
import dev.firemesh.chassis.telemetry.ServiceTelemetry;
import dev.firemesh.telemetry.trace.Direction;
import dev.firemesh.telemetry.trace.HopOutcome;
import dev.firemesh.telemetry.trace.TraceHop;
import io.grpc.ForwardingServerCall.SimpleForwardingServerCall;
import io.grpc.ForwardingServerCallListener.SimpleForwardingServerCallListener;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.MDC;

/**
 * What the chassis does around every gRPC call a service serves, as {@link ChassisServer} does for
 * HTTP: continues the caller's trace, makes it the current request for the service's own calls and
 * log lines while each callback runs, and when the call closes counts it in the golden metrics
 * (route: the full method name; the gRPC status as {@code grpc_code}) and exports its span.
 */
final class ServerTelemetry implements ServerInterceptor {
  private static final Metadata.Key<String> TRACEPARENT =
      Metadata.Key.of("traceparent", Metadata.ASCII_STRING_MARSHALLER);
  private static final Metadata.Key<String> TRACESTATE =
      Metadata.Key.of("tracestate", Metadata.ASCII_STRING_MARSHALLER);
  private static final Metadata.Key<String> CALLER =
      Metadata.Key.of(ChassisServer.CALLER_HEADER, Metadata.ASCII_STRING_MARSHALLER);

  private final ServiceTelemetry telemetry;

  ServerTelemetry(ServiceTelemetry telemetry) {
    this.telemetry = telemetry;
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    Instant startedAt = Instant.now();
    long start = System.nanoTime();
    TraceHop hop = telemetry.begin(headers.get(TRACEPARENT), headers.get(TRACESTATE));
    String caller = headers.get(CALLER) == null ? "unknown" : headers.get(CALLER);
    String method = "/" + call.getMethodDescriptor().getFullMethodName();
    AtomicBoolean recorded = new AtomicBoolean();
    ServerCall<Q, R> observed =
        new SimpleForwardingServerCall<>(call) {
          @Override
          public void close(Status status, Metadata trailers) {
            super.close(status, trailers);
            if (recorded.compareAndSet(false, true)) {
              record(call, hop, caller, method, status, startedAt, System.nanoTime() - start);
            }
          }
        };
    ServerCall.Listener<Q> listener = inScope(hop, () -> next.startCall(observed, headers));
    return new SimpleForwardingServerCallListener<>(listener) {
      @Override
      public void onMessage(Q message) {
        inScope(
            hop,
            () -> {
              super.onMessage(message);
              return null;
            });
      }

      @Override
      public void onHalfClose() {
        inScope(
            hop,
            () -> {
              super.onHalfClose();
              return null;
            });
      }

      @Override
      public void onCancel() {
        inScope(
            hop,
            () -> {
              super.onCancel();
              return null;
            });
        if (recorded.compareAndSet(false, true)) {
          record(call, hop, caller, method, Status.CANCELLED, startedAt, System.nanoTime() - start);
        }
      }

      @Override
      public void onReady() {
        inScope(
            hop,
            () -> {
              super.onReady();
              return null;
            });
      }
    };
  }

  private static <T> T inScope(TraceHop hop, java.util.function.Supplier<T> work) {
    MDC.put("trace_id", hop.traceId().hex());
    MDC.put("span_id", hop.spanId().hex());
    try {
      return CurrentRequest.serving(hop, work::get);
    } finally {
      MDC.remove("trace_id");
      MDC.remove("span_id");
    }
  }

  private void record(
      ServerCall<?, ?> call,
      TraceHop hop,
      String caller,
      String method,
      Status status,
      Instant startedAt,
      long durationNanos) {
    HopOutcome.Builder outcome =
        HopOutcome.builder(Direction.INBOUND)
            .timing(
                startedAt.getEpochSecond() * 1_000_000_000L + startedAt.getNano(), durationNanos)
            .request("POST", "http", method)
            .httpRoute(method)
            .statusCode(200)
            .grpcStatus(status.getCode().value())
            .protocolVersion("2")
            .mesh(caller, telemetry.service(), method);
    if (call.getAttributes().get(Grpc.TRANSPORT_ATTR_LOCAL_ADDR)
        instanceof InetSocketAddress local) {
      outcome.server(local.getHostString(), local.getPort());
    }
    SocketAddress remote = call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR);
    if (remote instanceof InetSocketAddress peer) {
      outcome.peer(peer.getHostString(), peer.getPort());
    }
    if (!status.isOk()) {
      outcome.errorType(status.getCode().name());
    }
    telemetry.served(hop, outcome.build(), caller, method, 0, 0);
  }
}
