package dev.firemesh.control.telemetry;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.util.HexFormat;
import java.util.List;

/** OTLP requests as an exporter builds them, for tests. */
public final class Otlp {
  private Otlp() {}

  /** A span of {@code service}; ids in hex, times in ms after an epoch second. */
  public static Span span(
      String traceId,
      String spanId,
      String parentId,
      String name,
      Span.SpanKind kind,
      long startMs,
      long endMs,
      boolean failed) {
    long base = 1_800_000_000_000_000_000L;
    Span.Builder span =
        Span.newBuilder()
            .setTraceId(ByteString.copyFrom(HexFormat.of().parseHex(traceId)))
            .setSpanId(ByteString.copyFrom(HexFormat.of().parseHex(spanId)))
            .setName(name)
            .setKind(kind)
            .setStartTimeUnixNano(base + startMs * 1_000_000)
            .setEndTimeUnixNano(base + endMs * 1_000_000)
            .addAttributes(
                KeyValue.newBuilder()
                    .setKey("http.request.method")
                    .setValue(AnyValue.newBuilder().setStringValue("POST")))
            .addAttributes(
                KeyValue.newBuilder()
                    .setKey("http.response.status_code")
                    .setValue(AnyValue.newBuilder().setIntValue(failed ? 503 : 200)));
    if (!parentId.isEmpty()) {
      span.setParentSpanId(ByteString.copyFrom(HexFormat.of().parseHex(parentId)));
    }
    if (failed) {
      span.setStatus(
          Status.newBuilder()
              .setCode(Status.StatusCode.STATUS_CODE_ERROR)
              .setMessage("upstream 503"));
    }
    return span.build();
  }

  public static ResourceSpans resource(String service, List<Span> spans) {
    return ResourceSpans.newBuilder()
        .setResource(
            Resource.newBuilder()
                .addAttributes(
                    KeyValue.newBuilder()
                        .setKey("service.name")
                        .setValue(AnyValue.newBuilder().setStringValue(service))))
        .addScopeSpans(ScopeSpans.newBuilder().addAllSpans(spans))
        .build();
  }

  public static ExportTraceServiceRequest request(ResourceSpans... resources) {
    return ExportTraceServiceRequest.newBuilder().addAllResourceSpans(List.of(resources)).build();
  }
}
