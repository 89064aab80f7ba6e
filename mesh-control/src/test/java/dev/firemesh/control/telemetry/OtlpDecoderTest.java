package dev.firemesh.control.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.opentelemetry.proto.trace.v1.Span.SpanKind;
import java.nio.charset.StandardCharsets;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/** Both OTLP encodings read to the same spans; bad spans are rejected alone; garbage is a 400. */
class OtlpDecoderTest {
  private static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";

  @Test
  void protobufSpansReadWithTheirServiceIdsTimesStatusAndAttributes() {
    byte[] body =
        Otlp.request(
                Otlp.resource(
                    "orders",
                    List.of(
                        Otlp.span(
                            TRACE,
                            "00f067aa0ba902b7",
                            "",
                            "POST /orders",
                            SpanKind.SPAN_KIND_SERVER,
                            0,
                            40,
                            true),
                        Otlp.span(
                            TRACE,
                            "1111111111111111",
                            "00f067aa0ba902b7",
                            "risk",
                            SpanKind.SPAN_KIND_CLIENT,
                            5,
                            35,
                            false))))
            .toByteArray();

    OtlpDecoder.Decoded decoded = OtlpDecoder.fromProtobuf(body);

    assertThat(decoded.rejected()).isZero();
    TraceSpan root = decoded.spans().getFirst();
    assertThat(root.traceId()).isEqualTo(TRACE);
    assertThat(root.spanId()).isEqualTo("00f067aa0ba902b7");
    assertThat(root.parentSpanId()).isEmpty();
    assertThat(root.service()).isEqualTo("orders");
    assertThat(root.kind()).isEqualTo("server");
    assertThat(root.status()).isEqualTo("error");
    assertThat(root.statusMessage()).isEqualTo("upstream 503");
    assertThat(root.durationNanos()).isEqualTo(40_000_000L);
    assertThat(root.attributes())
        .containsEntry("http.request.method", "POST")
        .containsEntry("http.response.status_code", 503L);
    assertThat(decoded.spans().get(1).parentSpanId()).isEqualTo("00f067aa0ba902b7");
    assertThat(decoded.spans().get(1).kind()).isEqualTo("client");
  }

  @Test
  void otlpJsonReadsHexIdsCamelCaseStringNanosAndEnumNames() {
    String json =
        """
        {"resourceSpans":[{"resource":{"attributes":[
            {"key":"service.name","value":{"stringValue":"risk"}}]},
          "scopeSpans":[{"scope":{"name":"firemesh"},"spans":[
            {"traceId":"4BF92F3577B34DA6A3CE929D0E0E4736","spanId":"00f067aa0ba902b7",
             "parentSpanId":"","name":"GET /limits","kind":2,
             "startTimeUnixNano":"1800000000000000000","endTimeUnixNano":1800000000012000000,
             "attributes":[{"key":"retry","value":{"boolValue":true}},
                           {"key":"n","value":{"intValue":"42"}},
                           {"key":"tags","value":{"arrayValue":{"values":[{"stringValue":"a"},{"doubleValue":1.5}]}}}],
             "status":{"code":"STATUS_CODE_OK"}}]}]}]}
        """;

    OtlpDecoder.Decoded decoded = OtlpDecoder.fromJson(json.getBytes(StandardCharsets.UTF_8));

    assertThat(decoded.rejected()).isZero();
    TraceSpan span = decoded.spans().getFirst();
    assertThat(span.traceId()).isEqualTo(TRACE);
    assertThat(span.service()).isEqualTo("risk");
    assertThat(span.kind()).isEqualTo("server");
    assertThat(span.status()).isEqualTo("ok");
    assertThat(span.durationNanos()).isEqualTo(12_000_000L);
    assertThat(span.attributes())
        .containsEntry("retry", true)
        .containsEntry("n", 42L)
        .containsEntry("tags", List.of("a", 1.5));
  }

  @Test
  void aBadSpanIsRejectedAloneWithWhy() {
    String json =
        """
        {"resourceSpans":[{"scopeSpans":[{"spans":[
          {"traceId":"4bf92f3577b34da6a3ce929d0e0e4736","spanId":"00f067aa0ba902b7",
           "startTimeUnixNano":"1800000000000000000","endTimeUnixNano":"1800000000000000001"},
          {"traceId":"not-hex","spanId":"00f067aa0ba902b7","startTimeUnixNano":"1"},
          {"traceId":"4bf92f3577b34da6a3ce929d0e0e4736","spanId":"00f067aa0ba902b8",
           "startTimeUnixNano":"20","endTimeUnixNano":"10"}]}]}]}
        """;

    OtlpDecoder.Decoded decoded = OtlpDecoder.fromJson(json.getBytes(StandardCharsets.UTF_8));

    assertThat(decoded.spans()).hasSize(1);
    assertThat(decoded.spans().getFirst().service()).isEqualTo("unknown_service");
    assertThat(decoded.rejected()).isEqualTo(2);
    assertThat(decoded.problems())
        .containsExactly(
            "resourceSpans[0].scopeSpans[0].spans[1]: trace id must be 16 bytes (32 hex digits in"
                + " JSON), not all zero; got 0 bytes",
            "resourceSpans[0].scopeSpans[0].spans[2]: end time must not be before the start time");
  }

  @Test
  void garbageIsMalformedWithAMessage() {
    assertThatThrownBy(() -> OtlpDecoder.fromProtobuf(new byte[] {(byte) 0x0a, (byte) 0xff}))
        .isInstanceOf(MalformedTelemetryException.class)
        .hasMessageContaining("not an OTLP ExportTraceServiceRequest in protobuf");
    assertThatThrownBy(
            () -> OtlpDecoder.fromJson("{\"resourceSpans\":".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(MalformedTelemetryException.class)
        .hasMessageContaining("not JSON");
    assertThatThrownBy(
            () -> OtlpDecoder.fromJson("{\"resourceSpans\":{}}".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(MalformedTelemetryException.class)
        .hasMessageContaining("\"resourceSpans\" must be a JSON array");
    assertThatThrownBy(() -> OtlpDecoder.fromJson("[1]".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(MalformedTelemetryException.class);
  }

  @Property(tries = 3000)
  void randomBytesAreSpansOrMalformedNeverAnythingElse(@ForAll("bytes") byte[] body) {
    for (boolean json : new boolean[] {false, true}) {
      try {
        OtlpDecoder.Decoded decoded =
            json ? OtlpDecoder.fromJson(body) : OtlpDecoder.fromProtobuf(body);
        assertThat(decoded.rejected()).isNotNegative();
        decoded.spans().forEach(s -> assertThat(s.durationNanos()).isNotNegative());
      } catch (MalformedTelemetryException e) {
        assertThat(e.getMessage()).isNotBlank();
      }
    }
  }

  @Property(tries = 2000)
  void mangledExportsAreSpansOrMalformedNeverAnythingElse(@ForAll("mangled") byte[] body) {
    try {
      OtlpDecoder.fromProtobuf(body);
    } catch (MalformedTelemetryException e) {
      assertThat(e.getMessage()).isNotBlank();
    }
  }

  @Property(tries = 2000)
  void jsonShapedTextIsSpansOrMalformedNeverAnythingElse(@ForAll("jsonish") String text) {
    try {
      OtlpDecoder.fromJson(text.getBytes(StandardCharsets.UTF_8));
    } catch (MalformedTelemetryException e) {
      assertThat(e.getMessage()).isNotBlank();
    }
  }

  @Provide
  Arbitrary<byte[]> bytes() {
    return Arbitraries.bytes().array(byte[].class).ofMaxSize(512);
  }

  /** A valid export with bytes flipped, cut or inserted: gets deeper into the parser than noise. */
  @Provide
  Arbitrary<byte[]> mangled() {
    byte[] valid =
        Otlp.request(
                Otlp.resource(
                    "orders",
                    List.of(
                        Otlp.span(
                            TRACE,
                            "00f067aa0ba902b7",
                            "",
                            "POST /orders",
                            SpanKind.SPAN_KIND_SERVER,
                            0,
                            40,
                            true))))
            .toByteArray();
    return Arbitraries.integers()
        .between(0, valid.length - 1)
        .list()
        .ofMinSize(1)
        .ofMaxSize(6)
        .flatMap(
            positions ->
                Arbitraries.bytes()
                    .map(
                        value -> {
                          byte[] copy = valid.clone();
                          for (int p : positions) {
                            copy[p] = value;
                          }
                          return positions.size() % 2 == 0
                              ? java.util.Arrays.copyOf(copy, positions.getFirst())
                              : copy;
                        }));
  }

  /** Tokens of OTLP JSON in random order: near-misses of the real structure. */
  @Provide
  Arbitrary<String> jsonish() {
    return Arbitraries.of(
            "{",
            "}",
            "[",
            "]",
            ":",
            ",",
            "\"resourceSpans\"",
            "\"scopeSpans\"",
            "\"spans\"",
            "\"traceId\"",
            "\"spanId\"",
            "\"parentSpanId\"",
            "\"startTimeUnixNano\"",
            "\"endTimeUnixNano\"",
            "\"attributes\"",
            "\"key\"",
            "\"value\"",
            "\"kvlistValue\"",
            "\"arrayValue\"",
            "\"values\"",
            "\"intValue\"",
            "\"status\"",
            "\"code\"",
            "\"kind\"",
            "\"4bf92f3577b34da6a3ce929d0e0e4736\"",
            "\"00f067aa0ba902b7\"",
            "\"18446744073709551615\"",
            "1",
            "-1",
            "2.5",
            "true",
            "null",
            "\"x\"")
        .list()
        .ofMaxSize(60)
        .map(
            tokens ->
                "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[" + String.join("", tokens));
  }
}
