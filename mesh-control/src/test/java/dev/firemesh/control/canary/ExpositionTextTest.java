package dev.firemesh.control.canary;

import static org.assertj.core.api.Assertions.assertThat;

import dev.firemesh.control.scrape.ExpositionText;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/**
 * The metrics reader takes text from processes the control plane does not control: what a sidecar
 * serves reads back exactly, and nothing a peer sends makes it throw.
 */
class ExpositionTextTest {

  /** As mesh-proxy's PrometheusText renders a cluster (abridged). */
  private static final String SIDECAR =
      """
      # HELP firemesh_proxy_upstream_responses_total Answers from a cluster's endpoints.
      # TYPE firemesh_proxy_upstream_responses_total counter
      firemesh_proxy_upstream_responses_total{cluster="orders|v2",status_class="2xx"} 90
      firemesh_proxy_upstream_responses_total{cluster="orders|v2",status_class="5xx"} 7
      firemesh_proxy_upstream_responses_total{cluster="orders|v1",status_class="2xx"} 400
      # TYPE firemesh_proxy_upstream_failures_total counter
      firemesh_proxy_upstream_failures_total{cluster="orders|v2",reason="connect_failure"} 2
      firemesh_proxy_upstream_failures_total{cluster="orders|v2",reason="timeout"} 1
      # TYPE firemesh_proxy_upstream_request_duration_seconds histogram
      firemesh_proxy_upstream_request_duration_seconds_bucket{cluster="orders|v2",le="0.001"} 50
      firemesh_proxy_upstream_request_duration_seconds_bucket{cluster="orders|v2",le="0.0025"} 97
      firemesh_proxy_upstream_request_duration_seconds_bucket{cluster="orders|v2",le="+Inf"} 97
      firemesh_proxy_upstream_request_duration_seconds_sum{cluster="orders|v2"} 0.08
      firemesh_proxy_upstream_request_duration_seconds_count{cluster="orders|v2"} 97
      firemesh_proxy_heap_used_bytes 1234
      """;

  @Test
  void readsASidecarsUpstreamCounters() {
    ExpositionText.Parsed parsed = ExpositionText.parse(SIDECAR, UpstreamTable.PREFIX);
    Map<String, UpstreamCounters> table = UpstreamTable.read(parsed);

    assertThat(parsed.malformed()).isZero();
    assertThat(table.get("orders|v2").requests()).isEqualTo(100);
    assertThat(table.get("orders|v2").errors()).isEqualTo(10);
    assertThat(table.get("orders|v2").observations()).isEqualTo(97);
    assertThat(table.get("orders|v1").requests()).isEqualTo(400);
    assertThat(table.get("orders|v1").errors()).isZero();
  }

  @Test
  void readsEscapesTimestampsAndSpecialValuesAndSkipsWhatIsNotASample() {
    String text =
        """
        m{a="x\\"y\\\\z\\n",b="" } 1.5e3 1700000000000
        m_inf +Inf
        m_nan NaN
        m{a="unterminated} 1
        m{a="x"} Infinity
        m{a="x",a="y"} 1
        m 0x10
        m{1a="x"} 1
        m1
        """;

    ExpositionText.Parsed parsed = ExpositionText.parse(text, "m");

    assertThat(parsed.samples())
        .extracting(ExpositionText.Sample::name)
        .containsExactly("m", "m_inf", "m_nan");
    assertThat(parsed.samples().getFirst().labels())
        .containsExactly(Map.entry("a", "x\"y\\z\n"), Map.entry("b", ""));
    assertThat(parsed.samples().getFirst().value()).isEqualTo(1500.0);
    assertThat(parsed.samples().get(1).value()).isInfinite();
    assertThat(parsed.malformed()).isEqualTo(6);
  }

  @Property(tries = 500)
  void whatIsWrittenReadsBack(@ForAll("samples") List<ExpositionText.Sample> samples) {
    StringBuilder text = new StringBuilder("# HELP m_x anything \\ at all\n");
    for (ExpositionText.Sample s : samples) {
      text.append(s.name());
      if (!s.labels().isEmpty()) {
        text.append('{');
        String sep = "";
        for (Map.Entry<String, String> l : s.labels().entrySet()) {
          text.append(sep)
              .append(l.getKey())
              .append("=\"")
              .append(escape(l.getValue()))
              .append('"');
          sep = ",";
        }
        text.append('}');
      }
      text.append(' ').append(s.value()).append('\n');
    }

    ExpositionText.Parsed parsed = ExpositionText.parse(text.toString(), "m_");

    assertThat(parsed.malformed()).isZero();
    assertThat(parsed.samples()).isEqualTo(samples);
  }

  @Property(tries = 2000)
  void anyTextIsReadWithoutThrowing(@ForAll("hostileText") String text) {
    ExpositionText.Parsed parsed = ExpositionText.parse(text, "firemesh_");
    Map<String, UpstreamCounters> table = UpstreamTable.read(parsed);

    for (UpstreamCounters counters : table.values()) {
      assertThat(counters.requests()).isNotNegative();
      assertThat(counters.errors()).isNotNegative();
      double p99 = counters.quantileSeconds(0.99);
      assertThat(Double.isNaN(p99) || p99 >= 0).isTrue();
    }
  }

  @Provide
  Arbitrary<List<ExpositionText.Sample>> samples() {
    Arbitrary<String> names =
        Arbitraries.strings().withChars("abcxyz_:0189").ofMaxLength(12).map(s -> "m_" + s);
    Arbitrary<String> keys =
        Arbitraries.strings()
            .withChars("abcxyz_09")
            .ofMinLength(1)
            .ofMaxLength(8)
            .filter(k -> !Character.isDigit(k.charAt(0)));
    Arbitrary<String> values =
        Arbitraries.strings().withCharRange(' ', '~').withChars("\n\"\\é|").ofMaxLength(12);
    Arbitrary<Map<String, String>> labels =
        Arbitraries.maps(keys, values).ofMaxSize(4).map(m -> new java.util.LinkedHashMap<>(m));
    Arbitrary<Double> numbers =
        Arbitraries.oneOf(
            Arbitraries.longs().between(0, Long.MAX_VALUE / 8).map(Long::doubleValue),
            Arbitraries.doubles().between(-1e12, 1e12),
            Arbitraries.of(0.0, 1e-9, 4.9e-324, Double.MAX_VALUE));
    return net.jqwik.api.Combinators.combine(names, labels, numbers)
        .as(ExpositionText.Sample::new)
        .list()
        .ofMaxSize(8);
  }

  @Provide
  Arbitrary<String> hostileText() {
    Arbitrary<String> fragments =
        Arbitraries.oneOf(
            Arbitraries.of(SIDECAR.split("\n")),
            Arbitraries.strings()
                .withChars("{}=\",\\ \t\n+-.eE0123456789Inf_NaNle#cluster")
                .ofMaxLength(80),
            Arbitraries.strings().ofMaxLength(40));
    return fragments.list().ofMaxSize(30).map(parts -> String.join("\n", parts));
  }

  private static String escape(String value) {
    return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
  }
}
