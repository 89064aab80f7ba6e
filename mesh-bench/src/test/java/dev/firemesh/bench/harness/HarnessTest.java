package dev.firemesh.bench.harness;

import static org.assertj.core.api.Assertions.assertThat;

import dev.firemesh.bench.Protocol;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The harness end to end with real processes: the echo upstream and the generator in JVMs of their
 * own, and the peers' pairs when HAProxy and nginx are installed (./run-tests installs them).
 * FireMesh's own pair is covered by mesh-it, which has the sidecar on its class path.
 */
class HarnessTest {

  @Test
  void runsEveryAvailableScenarioAndWritesTheReports(@TempDir Path results) throws Exception {
    List<String> scenarios = new ArrayList<>(List.of("direct"));
    if (Scenario.program("haproxy").isPresent()) {
      scenarios.add("haproxy");
    }
    if (Scenario.program("nginx").isPresent()) {
      scenarios.add("nginx-mtls");
    }
    scenarios.add("firemesh-mtls"); // no launcher here: reported as not run, not a failure
    BenchPlan plan =
        new BenchPlan(
            scenarios,
            List.of(100),
            true,
            1,
            Duration.ZERO,
            Duration.ofMillis(200),
            Duration.ofSeconds(1),
            Duration.ofSeconds(1),
            2,
            4,
            512,
            Protocol.HTTP1,
            CpuPlacement.defaultFor(Runtime.getRuntime().availableProcessors()),
            Duration.ofSeconds(Scenario.program("sockperf").isPresent() ? 1 : 0),
            List.of(),
            0);
    StringWriter log = new StringWriter();

    BenchResults r = new Harness(plan, Optional.empty(), new PrintWriter(log, true)).run(results);

    List<String> ran = scenarios.subList(0, scenarios.size() - 1);
    assertThat(r.skipped()).containsKey("firemesh-mtls");
    for (String scenario : ran) {
      ScenarioFigures atRate = figure(r, scenario, "100/s");
      assertThat(atRate.errors()).as(scenario + " errors").isZero();
      assertThat(atRate.p50().median()).as(scenario + " p50").isPositive();
      assertThat(figure(r, scenario, "saturation").achievedRate().median())
          .as(scenario + " throughput at saturation")
          .isGreaterThan(100);
    }
    for (Measurement m : r.measurements()) {
      // every scheduled request accounted for once
      assertThat(
              m.report().count()
                  + m.report().errors()
                  + m.report().unsent()
                  + m.report().unanswered())
          .isEqualTo(m.report().scheduled());
      if (!m.scenario().equals("direct")) {
        // CPU time is counted in 10 ms ticks: a second at 100/s may cost HAProxy less than one
        // (seen in CI), a saturated second never does.
        if (m.load().equals("saturation")) {
          assertThat(m.proxyCpuSeconds()).as(m.scenario() + " proxies used CPU").isPositive();
        } else {
          assertThat(m.proxyCpuSeconds()).as(m.scenario() + " proxies' CPU").isNotNegative();
        }
        assertThat(m.maxProxyRssBytes()).isPositive();
      }
    }
    if (Scenario.program("sockperf").isPresent()) {
      assertThat(r.kernelFloor().orElseThrow().p50Micros()).isPositive();
    }
    assertThat(Files.readString(results.resolve("results.md"))).contains("| direct |");
    assertThat(Files.readString(results.resolve("latency.svg"))).contains("<polyline");
    assertThat(Harness.json().readTree(results.resolve("results.json").toFile()).get("figures"))
        .hasSize(2 * ran.size());
  }

  @Test
  void overHttp2TheGeneratorAndTheProxiesSpeakH2cAndNginxIsNotRun(@TempDir Path results)
      throws Exception {
    List<String> scenarios = new ArrayList<>(List.of("direct", "nginx"));
    if (Scenario.program("haproxy").isPresent()) {
      scenarios.add("haproxy");
    }
    BenchPlan plan =
        new BenchPlan(
            scenarios,
            List.of(100),
            false,
            1,
            Duration.ZERO,
            Duration.ofMillis(200),
            Duration.ofSeconds(1),
            Duration.ofSeconds(1),
            2,
            4,
            512,
            Protocol.H2,
            CpuPlacement.defaultFor(Runtime.getRuntime().availableProcessors()),
            Duration.ZERO,
            List.of(),
            0);

    BenchResults r =
        new Harness(plan, Optional.empty(), new PrintWriter(new StringWriter(), true)).run(results);

    assertThat(r.skipped().get("nginx")).contains("HTTP/1.1 only");
    for (Measurement m : r.measurements()) {
      assertThat(m.report().protocol()).isEqualTo("h2");
      assertThat(m.report().errors()).as(m.scenario() + " errors").isZero();
      assertThat(m.report().count()).as(m.scenario() + " answered").isEqualTo(100);
    }
    assertThat(r.measurements()).hasSize(scenarios.size() - 1);
  }

  private static ScenarioFigures figure(BenchResults r, String scenario, String load) {
    return r.figures().stream()
        .filter(f -> f.scenario().equals(scenario) && f.load().equals(load))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no figures for " + scenario + " at " + load));
  }
}
