package dev.firemesh.proxy.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

class AccessLogFormatTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final AccessLogFormat json =
      new AccessLogFormat(AccessLogFormat.Style.JSON, AccessLogFormat.FIELDS);

  @Test
  void aForwardedCallIsOneJsonObjectWithEveryFieldInOrder() {
    ExchangeRecord record = Records.outbound();
    String line = json.line(record);

    assertThat(line)
        .isEqualTo(
            "{\"time\":\"2026-11-26T10:15:30.123456Z\","
                + "\"trace_id\":\"4bf92f3577b34da6a3ce929d0e0e4736\",\"span_id\":\""
                + record.spanId()
                + "\","
                + "\"request_id\":\"6c4c4b1a2b7e4e0f9d1a2b3c4d5e6f70\",\"direction\":\"outbound\","
                + "\"source\":\"gateway\",\"destination\":\"orders\",\"route\":\"canary\","
                + "\"cluster\":\"orders|v1\",\"caller\":null,\"method\":\"GET\",\"path\":\"/who\","
                + "\"authority\":\"orders\",\"protocol\":\"HTTP/1.1\",\"status\":200,"
                + "\"grpc_status\":null,\"flags\":null,\"upstream\":\"10.0.0.7:15006\","
                + "\"attempts\":1,\"request_bytes\":0,\"response_bytes\":9,"
                + "\"request_sent_us\":80,\"upstream_headers_us\":1100,"
                + "\"response_transfer_us\":54,\"duration_us\":1234}\n");
  }

  @Test
  void aLocalReplyHasItsFlagAndNullsWhereNothingHappened() throws Exception {
    JsonNode line = JSON.readTree(json.line(Records.local(429, ResponseFlag.RATE_LIMITED)));

    assertThat(line.get("status").asInt()).isEqualTo(429);
    assertThat(line.get("flags").asText()).isEqualTo("RL");
    assertThat(line.get("caller").asText())
        .isEqualTo("spiffe://firemesh.local/env/default/svc/gateway");
    assertThat(line.get("upstream").isNull()).isTrue();
    assertThat(line.get("request_sent_us").isNull()).isTrue();
    assertThat(line.get("upstream_headers_us").isNull()).isTrue();
    assertThat(line.get("response_transfer_us").isNull()).isTrue();
    assertThat(line.get("duration_us").asLong()).isEqualTo(40);
    assertThat(line.get("protocol").asText()).isEqualTo("HTTP/2");
    assertThat(line.get("request_bytes").asLong()).isEqualTo(12);
  }

  @Test
  void aGrpcStatusIsWrittenByName() throws Exception {
    JsonNode line = JSON.readTree(json.line(Records.grpc(Records.outbound(), 14, 10)));

    assertThat(line.get("grpc_status").asText()).isEqualTo("UNAVAILABLE");
    assertThat(line.get("protocol").asText()).isEqualTo("gRPC");
  }

  @Test
  void oddPathsAndHeadersAreEscapedIntoOneLineOfAsciiThatParsesBack() throws Exception {
    String path = "/a\"b\\c\nd\re\tf\u0001g\u007fé\u2028€/%00?x=\"1\"";
    String authority = "orders\u0000evil";
    String line = json.line(Records.withPath(Records.outbound(), "G\"ET", path, authority));

    assertThat(line.indexOf('\n')).isEqualTo(line.length() - 1);
    assertThat(line.chars().allMatch(c -> c >= 0x20 && c < 0x7f || c == '\n')).isTrue();
    JsonNode parsed = JSON.readTree(line);
    assertThat(parsed.get("path").asText()).isEqualTo(path);
    assertThat(parsed.get("method").asText()).isEqualTo("G\"ET");
    assertThat(parsed.get("authority").asText()).isEqualTo(authority);
  }

  @Test
  void chosenFieldsAreTheOnlyOnesInTheLogsOrder() {
    AccessLogFormat some =
        new AccessLogFormat(AccessLogFormat.Style.JSON, List.of("status", "time", "path"));

    assertThat(some.line(Records.outbound()))
        .isEqualTo("{\"time\":\"2026-11-26T10:15:30.123456Z\",\"path\":\"/who\",\"status\":200}\n");
  }

  @Test
  void unknownFieldsAreRefused() {
    assertThatThrownBy(() -> new AccessLogFormat(AccessLogFormat.Style.JSON, List.of("stauts")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("stauts");
  }

  @Test
  void textIsOneReadableLine() {
    AccessLogFormat text = new AccessLogFormat(AccessLogFormat.Style.TEXT, List.of());

    assertThat(text.line(Records.outbound()))
        .isEqualTo(
            "2026-11-26T10:15:30.123456Z outbound gateway->orders route=canary"
                + " \"GET /who HTTP/1.1\" 200 grpc=- flags=- upstream=10.0.0.7:15006 bytes=0/9"
                + " us=1234 (sent=80 upstream=1100 transfer=54) attempts=1 caller=-"
                + " request_id=6c4c4b1a2b7e4e0f9d1a2b3c4d5e6f70"
                + " trace_id=4bf92f3577b34da6a3ce929d0e0e4736\n");
    String odd = text.line(Records.withPath(Records.outbound(), "GET", "/a b\n\"c\"é", "orders"));
    assertThat(odd).contains("\"GET /a b\\x0a\\x22c\\x22\\xe9 HTTP/1.1\"");
    assertThat(odd.indexOf('\n')).isEqualTo(odd.length() - 1);
  }

  @Test
  void timeIsRfc3339InUtcWithMicroseconds() {
    StringBuilder out = new StringBuilder();
    AccessLogFormat.time(0, out);
    out.append(' ');
    AccessLogFormat.time(951_782_400_000_001L, out); // the leap day of 2000, 1 µs in
    out.append(' ');
    AccessLogFormat.time(1_795_688_130_999_999L, out);

    assertThat(out)
        .hasToString(
            "1970-01-01T00:00:00.000000Z 2000-02-29T00:00:00.000001Z"
                + " 2026-11-26T10:15:30.999999Z");
  }
}
