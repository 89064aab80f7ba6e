package dev.firemesh.telemetry.otlp;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.firemesh.telemetry.trace.Direction;
import dev.firemesh.telemetry.trace.HopOutcome;
import dev.firemesh.telemetry.trace.Resource;
import dev.firemesh.telemetry.trace.Sampler;
import dev.firemesh.telemetry.trace.Span;
import dev.firemesh.telemetry.trace.TraceHop;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.Status;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OtlpTraceEncodingTest {
  private static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
  private static final String CALLER = "00f067aa0ba902b7";
  private static final Sampler NEVER = new Sampler(0, Duration.ofMillis(250));

  @Test
  void mapsEveryFieldAndSurvivesTheWire() throws Exception {
    TraceHop root = TraceHop.start(null, null, new Sampler(1, Duration.ZERO));
    TraceHop child =
        TraceHop.start("00-" + TRACE + "-" + CALLER + "-00", "congo=t61rcWkgMzE", NEVER);
    long start = 1_760_000_000_123_456_789L;
    Span rootSpan =
        root.span(
            HopOutcome.builder(Direction.OUTBOUND)
                .timing(start, 5_000_000)
                .request("POST", "http", "/orders")
                .statusCode(201)
                .server("orders", 80)
                .build());
    Span failedSpan =
        child
            .finish(
                HopOutcome.builder(Direction.INBOUND)
                    .timing(start + 1000, 3_000_000)
                    .request("GET", "http", "/instruments/GB0007980591")
                    .statusCode(503)
                    .build())
            .orElseThrow();

    byte[] wire =
        OtlpTraceEncoding.encode(Spans.ORDERS, List.of(rootSpan, failedSpan)).toByteArray();
    ExportTraceServiceRequest request = ExportTraceServiceRequest.parseFrom(wire);

    assertThat(request.getResourceSpansCount()).isEqualTo(1);
    ResourceSpans resource = request.getResourceSpans(0);
    assertThat(attributes(resource.getResource().getAttributesList()))
        .containsEntry("service.name", "orders")
        .containsEntry("service.instance.id", "orders-1")
        .containsEntry("deployment.environment.name", "dev");
    assertThat(resource.getScopeSpansCount()).isEqualTo(1);
    assertThat(resource.getScopeSpans(0).getScope().getName()).isEqualTo("dev.firemesh");
    List<io.opentelemetry.proto.trace.v1.Span> spans = resource.getScopeSpans(0).getSpansList();
    assertThat(spans).hasSize(2);

    io.opentelemetry.proto.trace.v1.Span first = spans.get(0);
    assertThat(first.getTraceId()).isEqualTo(bytes(root.traceId().hex()));
    assertThat(first.getSpanId()).isEqualTo(bytes(root.spanId().hex()));
    assertThat(first.getParentSpanId()).isEqualTo(ByteString.EMPTY);
    assertThat(first.getKind())
        .isEqualTo(io.opentelemetry.proto.trace.v1.Span.SpanKind.SPAN_KIND_CLIENT);
    assertThat(first.getName()).isEqualTo("POST");
    assertThat(first.getStartTimeUnixNano()).isEqualTo(start);
    assertThat(first.getEndTimeUnixNano()).isEqualTo(start + 5_000_000);
    assertThat(first.getStatus().getCode()).isEqualTo(Status.StatusCode.STATUS_CODE_UNSET);
    assertThat(first.getFlags())
        .as("sampled; is-remote known; parent not remote (a root)")
        .isEqualTo(0x101);
    assertThat(first.getTraceState()).isEmpty();
    assertThat(attributes(first.getAttributesList()))
        .containsEntry("http.request.method", "POST")
        .containsEntry("http.response.status_code", 201L)
        .containsEntry("server.port", 80L)
        .containsEntry("firemesh.direction", "outbound");

    io.opentelemetry.proto.trace.v1.Span second = spans.get(1);
    assertThat(second.getTraceId()).isEqualTo(bytes(TRACE));
    assertThat(second.getParentSpanId()).isEqualTo(bytes(CALLER));
    assertThat(second.getSpanId()).isEqualTo(bytes(child.spanId().hex()));
    assertThat(second.getKind())
        .isEqualTo(io.opentelemetry.proto.trace.v1.Span.SpanKind.SPAN_KIND_SERVER);
    assertThat(second.getStatus().getCode()).isEqualTo(Status.StatusCode.STATUS_CODE_ERROR);
    assertThat(second.getFlags()).as("not sampled; parent remote").isEqualTo(0x300);
    assertThat(second.getTraceState()).isEqualTo("congo=t61rcWkgMzE");
    assertThat(attributes(second.getAttributesList())).containsEntry("error.type", "503");
  }

  @Test
  void groupsSpansByResource() {
    Resource risk = new Resource("risk", "risk-1", "");
    Map<Resource, List<Span>> byResource = new LinkedHashMap<>();
    byResource.put(Spans.ORDERS, List.of(Spans.inbound("/a"), Spans.inbound("/b")));
    byResource.put(risk, List.of(Spans.inbound("/c")));
    byResource.put(new Resource("idle", "", ""), List.of());

    ExportTraceServiceRequest request = OtlpTraceEncoding.encode(byResource);

    assertThat(request.getResourceSpansList())
        .extracting(r -> attributes(r.getResource().getAttributesList()).get("service.name"))
        .containsExactly("orders", "risk");
    assertThat(request.getResourceSpans(0).getScopeSpans(0).getSpansCount()).isEqualTo(2);
    assertThat(request.getResourceSpans(1).getScopeSpans(0).getSpansCount()).isEqualTo(1);
    assertThat(attributes(request.getResourceSpans(1).getResource().getAttributesList()))
        .as("an empty environment is left out")
        .doesNotContainKey("deployment.environment.name");
  }

  static ByteString bytes(String hex) {
    return ByteString.copyFrom(HexFormat.of().parseHex(hex));
  }

  static Map<String, Object> attributes(List<KeyValue> keyValues) {
    Map<String, Object> map = new LinkedHashMap<>();
    for (KeyValue kv : keyValues) {
      Object value =
          switch (kv.getValue().getValueCase()) {
            case STRING_VALUE -> kv.getValue().getStringValue();
            case INT_VALUE -> kv.getValue().getIntValue();
            case BOOL_VALUE -> kv.getValue().getBoolValue();
            case DOUBLE_VALUE -> kv.getValue().getDoubleValue();
            default -> kv.getValue().toString();
          };
      map.put(kv.getKey(), value);
    }
    return map;
  }
}
