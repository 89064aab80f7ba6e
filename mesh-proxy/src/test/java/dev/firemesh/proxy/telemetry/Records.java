package dev.firemesh.proxy.telemetry;

import dev.firemesh.telemetry.trace.Direction;
import dev.firemesh.telemetry.trace.Sampler;
import dev.firemesh.telemetry.trace.TraceHop;
import java.util.Optional;

/** Exchange records for tests: a forwarded outbound call, changed one field at a time. */
final class Records {
  /** 2026-11-26T10:15:30.123456Z */
  static final long START_MICROS = 1_795_688_130_123_456L;

  private Records() {}

  static ExchangeRecord outbound() {
    return forwarded(Direction.OUTBOUND, "gateway", "orders", "canary", "/who", 200);
  }

  static ExchangeRecord forwarded(
      Direction direction,
      String source,
      String destination,
      String route,
      String path,
      int status) {
    return new ExchangeRecord(
        direction,
        source,
        destination,
        route,
        "orders|v1",
        "GET",
        path,
        "orders",
        ExchangeRecord.Protocol.HTTP_1_1,
        status,
        -1,
        "10.0.0.7:15006",
        1,
        0,
        9,
        START_MICROS,
        80,
        1_100,
        54,
        1_234,
        "6c4c4b1a2b7e4e0f9d1a2b3c4d5e6f70",
        "",
        ResponseFlag.NONE,
        Optional.of(
            TraceHop.start(
                "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", null, Sampler.DEFAULT)));
  }

  static ExchangeRecord withPath(ExchangeRecord r, String method, String path, String authority) {
    return new ExchangeRecord(
        r.direction(),
        r.source(),
        r.destination(),
        r.route(),
        r.cluster(),
        method,
        path,
        authority,
        r.protocol(),
        r.status(),
        r.grpcStatus(),
        r.upstreamHost(),
        r.attempts(),
        r.requestBytes(),
        r.responseBytes(),
        r.startMicros(),
        r.requestSentMicros(),
        r.upstreamHeadersMicros(),
        r.responseTransferMicros(),
        r.totalMicros(),
        r.requestId(),
        r.callerIdentity(),
        r.flag(),
        r.trace());
  }

  static ExchangeRecord grpc(ExchangeRecord r, int grpcStatus, long totalMicros) {
    return new ExchangeRecord(
        r.direction(),
        r.source(),
        r.destination(),
        r.route(),
        r.cluster(),
        "POST",
        "/firemesh.trading.Orders/Place",
        r.authority(),
        ExchangeRecord.Protocol.GRPC,
        200,
        grpcStatus,
        r.upstreamHost(),
        r.attempts(),
        r.requestBytes(),
        r.responseBytes(),
        r.startMicros(),
        r.requestSentMicros(),
        r.upstreamHeadersMicros(),
        r.responseTransferMicros(),
        totalMicros,
        r.requestId(),
        r.callerIdentity(),
        r.flag(),
        r.trace());
  }

  /** Answered by the sidecar: no upstream, no phases. */
  static ExchangeRecord local(int status, ResponseFlag flag) {
    return new ExchangeRecord(
        Direction.INBOUND,
        "gateway",
        "orders",
        "none",
        "local_app",
        "POST",
        "/orders",
        "orders",
        ExchangeRecord.Protocol.HTTP_2,
        status,
        -1,
        "",
        0,
        12,
        0,
        START_MICROS,
        -1,
        -1,
        -1,
        40,
        "",
        "spiffe://firemesh.local/env/default/svc/gateway",
        flag,
        Optional.empty());
  }
}
