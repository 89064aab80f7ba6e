package dev.firemesh.workload.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The sidecar's JSON: what it writes reads back the same, and looks as Jackson wrote it. */
class PlainJsonTest {
  private static Map<String, Object> ready(Map<String, Object> upstreams) {
    Map<String, Object> ready = new LinkedHashMap<>();
    ready.put("instanceId", "orders-1 \"quoted\" \\ \n\t\u0001 é");
    ready.put("outbound", "127.0.0.1:15001");
    ready.put("upstreams", upstreams);
    ready.put("pid", 4242L);
    ready.put("port", 8080);
    ready.put("ok", true);
    ready.put("none", null);
    ready.put("list", List.of(1L, "two"));
    return ready;
  }

  @Test
  void prettyIsJacksonsDefaultPrettyPrinting() throws Exception {
    ObjectMapper jackson = new ObjectMapper();
    for (Map<String, Object> upstreams :
        List.<Map<String, Object>>of(Map.of(), Map.of("fix-gateway:fix", "127.0.0.1:19878"))) {
      Map<String, Object> ready = ready(upstreams);
      assertThat(PlainJson.pretty(ready)).isEqualTo(jackson.valueToTree(ready).toPrettyString());
      assertThat(PlainJson.compact(ready)).isEqualTo(jackson.writeValueAsString(ready));
    }
  }

  @Test
  void whatIsWrittenReadsBackTheSame() {
    Map<String, Object> ready = ready(Map.of("a", "b"));
    ready.put("port", 8080L); // integers read back as Long
    assertThat(PlainJson.parse(PlainJson.pretty(ready))).isEqualTo(ready);
    assertThat(PlainJson.parse(PlainJson.compact(ready))).isEqualTo(ready);
  }

  @Test
  void numbersAreLongsWhenIntegralElseExactDecimals() {
    assertThat(PlainJson.parse("[1, -2, 50000000.00, 1e3, 123456789012345678901234567890]"))
        .isEqualTo(
            List.of(
                1L,
                -2L,
                new BigDecimal("50000000.00"),
                new BigDecimal("1e3"),
                new BigDecimal("123456789012345678901234567890")));
  }

  @Test
  void escapesAreDecoded() {
    assertThat(PlainJson.parse("\"a\\u0041\\n\\/\\\"\"")).isEqualTo("aA\n/\"");
  }

  @Test
  void malformedTextIsRefusedWithWhere() {
    for (String bad : List.of("", "{", "{\"a\" 1}", "[1,]", "tru", "{\"a\":1} x", "\"open", "+1")) {
      assertThatThrownBy(() -> PlainJson.parse(bad))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("malformed JSON at offset");
    }
  }

  @Test
  void memberReadsObjectsOnly() {
    assertThat(PlainJson.member(PlainJson.parse("{\"xds\":\"127.0.0.1:1\"}"), "xds"))
        .isEqualTo("127.0.0.1:1");
    assertThat(PlainJson.member(PlainJson.parse("[1]"), "xds")).isNull();
  }
}
