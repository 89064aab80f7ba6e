package dev.firemesh.chassis.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonLogEncoderTest {
  @Test
  void aLineIsOneJsonObjectWithTheTraceIdsAndTheError() throws Exception {
    LoggerContext context = new LoggerContext();
    JsonLogEncoder encoder = new JsonLogEncoder();
    encoder.setContext(context);
    encoder.setService("orders");
    encoder.setInstance("orders-1");
    encoder.start();
    LoggingEvent event =
        new LoggingEvent(
            "x",
            context.getLogger("dev.firemesh.Orders"),
            Level.WARN,
            "order {} refused: \"{}\"",
            new IllegalStateException("limit"),
            new Object[] {"o-1", "too big\nreally"});
    event.setMDCPropertyMap(
        Map.of("trace_id", "0af7651916cd43dd8448eb211c80319c", "span_id", "b7ad6b7169203331"));

    String line = new String(encoder.encode(event), StandardCharsets.UTF_8);

    assertThat(line).endsWith("\n").doesNotContain("\n{").hasLineCount(1);
    JsonNode json = new ObjectMapper().readTree(line);
    assertThat(json.get("level").asText()).isEqualTo("WARN");
    assertThat(json.get("message").asText()).isEqualTo("order o-1 refused: \"too big\nreally\"");
    assertThat(json.get("service").asText()).isEqualTo("orders");
    assertThat(json.get("instance").asText()).isEqualTo("orders-1");
    assertThat(json.get("trace_id").asText()).isEqualTo("0af7651916cd43dd8448eb211c80319c");
    assertThat(json.get("span_id").asText()).isEqualTo("b7ad6b7169203331");
    assertThat(json.get("ts").asText())
        .matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}Z");
    assertThat(json.get("error").asText()).contains("IllegalStateException: limit");
  }
}
