package dev.firemesh.bench.harness;

import static org.assertj.core.api.Assertions.assertThat;

import dev.firemesh.bench.LatencySummary;
import dev.firemesh.bench.LoadReport;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

/** The figures, ratios, tables and plot derived from measurements. */
class ReportsTest {

  @Test
  void addedLatencyAndRatiosComeFromMediansAtTheSameLoad() {
    List<Measurement> runs = new ArrayList<>();
    // direct: p50 100, 110, 120 -> median 110; p99 200
    for (long p50 : List.of(100L, 120L, 110L)) {
      runs.add(run("direct", "1000/s", p50, 200, 1000));
    }
    // firemesh: median p50 410 (+300), p99 500 (+300)
    for (long p50 : List.of(400L, 410L, 420L)) {
      runs.add(run("firemesh", "1000/s", p50, 500, 1000));
    }
    // haproxy: median p50 260 (+150), p99 350 (+150)
    for (long p50 : List.of(250L, 260L, 270L)) {
      runs.add(run("haproxy", "1000/s", p50, 350, 1000));
    }
    runs.add(run("firemesh", "saturation", 0, 0, 30_000));
    runs.add(run("haproxy", "saturation", 0, 0, 20_000));

    List<ScenarioFigures> figures =
        BenchResults.figures(runs, List.of("direct", "firemesh", "haproxy"));
    List<Comparison> comparisons = BenchResults.comparisons(figures);

    ScenarioFigures mesh = figure(figures, "firemesh", "1000/s");
    assertThat(mesh.p50()).isEqualTo(new Spread(410, 400, 420));
    assertThat(mesh.addedP50()).contains(new Spread(300, 290, 310));
    assertThat(mesh.addedP99().orElseThrow().median()).isEqualTo(300);
    assertThat(figure(figures, "direct", "1000/s").addedP50()).isEmpty();
    Comparison atRate =
        comparisons.stream().filter(c -> c.load().equals("1000/s")).findFirst().orElseThrow();
    assertThat(atRate.peer()).isEqualTo("haproxy");
    assertThat(atRate.addedP50Ratio()).isEqualTo(2.0);
    assertThat(atRate.addedP99Ratio()).isEqualTo(2.0);
    assertThat(atRate.throughputRatio()).isNaN(); // both served the rate
    Comparison saturated =
        comparisons.stream().filter(c -> c.load().equals("saturation")).findFirst().orElseThrow();
    assertThat(saturated.throughputRatio()).isEqualTo(1.5);
    assertThat(saturated.addedP50Ratio()).isNaN(); // a backlog's latency compares nothing
  }

  @Test
  void theTableAndThePlotShowEveryScenarioThatRan() throws Exception {
    List<Measurement> runs =
        List.of(
            run("direct", "1000/s", 100, 200, 1000),
            run("firemesh", "1000/s", 400, 900, 1000),
            run("nginx", "1000/s", 250, 400, 1000),
            run("direct", "saturation", 0, 0, 50_000),
            run("firemesh", "saturation", 0, 0, 30_000),
            run("nginx", "saturation", 0, 0, 31_000));
    List<String> order = List.of("direct", "firemesh", "nginx");
    List<ScenarioFigures> figures = BenchResults.figures(runs, order);
    BenchResults results =
        new BenchResults(
            "2026-11-26T00:00:00Z",
            new BenchResults.Machine(2, "Linux", "JDK 25", 0.5),
            "load on CPU 0",
            BenchPlan.smoke(2),
            Optional.of(new KernelFloor(1024, 9, 12, 69, 400)),
            Map.of("haproxy", "haproxy is not installed"),
            Map.of("firemesh", 60L << 20),
            figures,
            BenchResults.comparisons(figures),
            runs,
            Optional.empty());

    String md = MarkdownReport.render(results);
    assertThat(md)
        .contains("| firemesh | 400 µs | ")
        .contains("+300 µs")
        .contains("| nginx | 31,000 |")
        .contains("`haproxy` (haproxy is not installed)")
        .contains("p50 9 µs")
        .contains("add 91 µs at p50 over that floor")
        .contains("| 0.025 |") // 0.5 CPU-s for 10k requests: 0.05 per 1k, over two proxies
        .contains("| firemesh | nginx | 1000/s | 2.00 | 3.50 | - |")
        .contains("| firemesh | nginx | saturation | - | - | 0.97 |");

    Document svg =
        DocumentBuilderFactory.newInstance()
            .newDocumentBuilder()
            .parse(
                new ByteArrayInputStream(
                    LatencyPlot.render(results).getBytes(StandardCharsets.UTF_8)));
    // one curve per scenario at the fixed rate; saturation has no latency curve
    assertThat(svg.getElementsByTagName("polyline").getLength()).isEqualTo(3);
  }

  @Test
  void resultsSurviveAJsonRoundTrip() throws Exception {
    Measurement m = run("direct", "1000/s", 100, 200, 1000);

    String json = Harness.json().writeValueAsString(m);

    assertThat(json).contains("\"scenario\" : \"direct\"").contains("\"p99\" : 200");
    assertThat(Harness.json().readValue(json, Measurement.class).report().latencyMicros().p99())
        .isEqualTo(200);
  }

  private static ScenarioFigures figure(List<ScenarioFigures> figures, String name, String load) {
    return figures.stream()
        .filter(f -> f.scenario().equals(name) && f.load().equals(load))
        .findFirst()
        .orElseThrow();
  }

  private static Measurement run(String scenario, String load, long p50, long p99, double rate) {
    LatencySummary latency = new LatencySummary(p50, p99, p99, p99, p99, p50, 1000);
    LoadReport report =
        new LoadReport(
            "127.0.0.1:1", "epoll", 1000, rate, 4, 1000, 1000, 0, 0, 0, 0, 0, latency, latency);
    return new Measurement(scenario, load, 0, report, 0.5, 10_000, 64L << 20);
  }
}
