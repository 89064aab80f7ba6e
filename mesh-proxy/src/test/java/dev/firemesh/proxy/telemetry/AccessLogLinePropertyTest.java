package dev.firemesh.proxy.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Whatever a caller puts in the method, path, Host or request id (any bytes, as the decoders hand
 * them over as ISO-8859-1 characters, or any UTF-16 text), the JSON access log line is exactly one
 * line of valid JSON that parses back to those strings.
 */
class AccessLogLinePropertyTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final AccessLogFormat format =
      new AccessLogFormat(AccessLogFormat.Style.JSON, AccessLogFormat.FIELDS);

  @Property(tries = 500)
  void anyRequestBytesMakeOneJsonLineThatParsesBack(
      @ForAll("headerBytes") String method,
      @ForAll("headerBytes") String path,
      @ForAll("text") String authority,
      @ForAll("headerBytes") String requestId)
      throws Exception {
    ExchangeRecord record = Records.withPath(Records.outbound(), method, path, authority);
    record =
        new ExchangeRecord(
            record.direction(),
            record.source(),
            record.destination(),
            record.route(),
            record.cluster(),
            record.method(),
            record.path(),
            record.authority(),
            record.protocol(),
            record.status(),
            record.grpcStatus(),
            record.upstreamHost(),
            record.attempts(),
            record.requestBytes(),
            record.responseBytes(),
            record.startMicros(),
            record.requestSentMicros(),
            record.upstreamHeadersMicros(),
            record.responseTransferMicros(),
            record.totalMicros(),
            requestId,
            record.callerIdentity(),
            record.flag(),
            record.trace());

    String line = format.line(record);

    assertThat(line).endsWith("\n");
    assertThat(line.indexOf('\n')).isEqualTo(line.length() - 1);
    assertThat(line.indexOf('\r')).isEqualTo(-1);
    JsonNode parsed = JSON.readTree(line.getBytes(StandardCharsets.UTF_8));
    assertThat(parsed.isObject()).isTrue();
    assertThat(parsed.size()).isEqualTo(AccessLogFormat.FIELDS.size());
    assertThat(textOrEmpty(parsed, "method")).isEqualTo(method);
    assertThat(textOrEmpty(parsed, "path")).isEqualTo(path);
    assertThat(textOrEmpty(parsed, "authority")).isEqualTo(authority);
    assertThat(textOrEmpty(parsed, "request_id")).isEqualTo(requestId);
  }

  /** Absent (empty) strings are written as null. */
  private static String textOrEmpty(JsonNode line, String field) {
    JsonNode value = line.get(field);
    return value.isNull() ? "" : value.asText();
  }

  @Provide
  Arbitrary<String> headerBytes() {
    return Arbitraries.bytes()
        .array(byte[].class)
        .ofMaxSize(64)
        .map(bytes -> new String(bytes, StandardCharsets.ISO_8859_1));
  }

  @Provide
  Arbitrary<String> text() {
    return Arbitraries.strings().all().ofMaxLength(32);
  }
}
