package dev.firemesh.bench.harness;

import dev.firemesh.bench.fanout.FanoutReport;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything a harness run found: the machine and layout, the kernel's floor, each scenario's
 * figures per load (medians of the repeats, with spreads), FireMesh's ratios to its peers, and
 * every raw measurement, so any figure can be recomputed from the JSON.
 *
 * @param skipped scenarios that could not run here, with the reason
 * @param idleRssBytes per scenario, the largest resident size of one of its proxies, idle, after
 *     set-up and before any load
 * @param fanout how long an apply took to reach every connected proxy, at each fleet size, if that
 *     stage ran
 */
public record BenchResults(
    String date,
    Machine machine,
    String placement,
    BenchPlan plan,
    Optional<KernelFloor> kernelFloor,
    Map<String, String> skipped,
    Map<String, Long> idleRssBytes,
    List<ScenarioFigures> figures,
    List<Comparison> comparisons,
    List<Measurement> measurements,
    Optional<FanoutReport> fanout) {

  /** What the figures were measured on. */
  public record Machine(int cpus, String kernel, String jvm, double loadAverageAtStart) {
    public static Machine current() {
      OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
      return new Machine(
          Runtime.getRuntime().availableProcessors(),
          System.getProperty("os.name") + " " + System.getProperty("os.version"),
          System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"),
          os.getSystemLoadAverage());
    }
  }

  /** Groups the measurements by (scenario, load) and derives the figures and the comparisons. */
  static List<ScenarioFigures> figures(List<Measurement> measurements, List<String> order) {
    Map<String, Map<String, List<Measurement>>> byLoad = new LinkedHashMap<>();
    for (Measurement m : measurements) {
      byLoad
          .computeIfAbsent(m.load(), k -> new LinkedHashMap<>())
          .computeIfAbsent(m.scenario(), k -> new ArrayList<>())
          .add(m);
    }
    List<ScenarioFigures> figures = new ArrayList<>();
    byLoad.forEach(
        (load, byScenario) -> {
          Optional<ScenarioFigures> direct =
              Optional.ofNullable(byScenario.get("direct"))
                  .map(runs -> ScenarioFigures.of(runs, Optional.empty()));
          for (String scenario : order) {
            List<Measurement> runs = byScenario.get(scenario);
            if (runs != null) {
              figures.add(
                  scenario.equals("direct")
                      ? direct.orElseThrow()
                      : ScenarioFigures.of(runs, direct));
            }
          }
        });
    return figures;
  }

  /** FireMesh against each peer of the same kind (plaintext or mTLS), at every load. */
  static List<Comparison> comparisons(List<ScenarioFigures> figures) {
    List<Comparison> comparisons = new ArrayList<>();
    for (ScenarioFigures mesh : figures) {
      if (!mesh.scenario().startsWith("firemesh")) {
        continue;
      }
      String tls = mesh.scenario().endsWith("-mtls") ? "-mtls" : "";
      // at a fixed rate both served the rate: latency is the comparison; at saturation latency is
      // the backlog's, and throughput is the comparison
      boolean saturated = mesh.load().equals("saturation");
      for (String peerName : List.of("haproxy" + tls, "nginx" + tls)) {
        figures.stream()
            .filter(f -> f.scenario().equals(peerName) && f.load().equals(mesh.load()))
            .findFirst()
            .ifPresent(
                peer ->
                    comparisons.add(
                        new Comparison(
                            mesh.scenario(),
                            peerName,
                            mesh.load(),
                            saturated ? Double.NaN : ratio(mesh.addedP50(), peer.addedP50()),
                            saturated ? Double.NaN : ratio(mesh.addedP99(), peer.addedP99()),
                            !saturated || peer.achievedRate().median() == 0
                                ? Double.NaN
                                : mesh.achievedRate().median() / peer.achievedRate().median())));
      }
    }
    return comparisons;
  }

  private static double ratio(Optional<Spread> mesh, Optional<Spread> peer) {
    if (mesh.isEmpty() || peer.isEmpty() || peer.get().median() <= 0) {
      return Double.NaN;
    }
    return mesh.get().median() / peer.get().median();
  }
}
