package dev.firemesh.bench.harness;

import dev.firemesh.bench.Protocol;
import java.time.Duration;
import java.util.List;

/**
 * What a harness run measures: which scenarios, at which fixed rates, how often, for how long.
 *
 * @param scenarios scenario names in report order ({@code direct} first: everything is compared to
 *     it)
 * @param rates the fixed request rates (requests/s over all connections)
 * @param saturation also measure each scenario's throughput at saturation
 * @param repeats how often every (scenario, rate) runs; runs are interleaved, forward then backward
 *     (A B C C B A), and each figure is the median of the repeats
 * @param primer unrecorded load per scenario before the first repeat, so no scenario is measured
 *     cold (JIT, connection pools); zero for none
 * @param warmup each run's unrecorded start
 * @param duration each fixed-rate run's recorded window
 * @param saturationDuration each saturation run's recorded window
 * @param connections connections for fixed-rate runs
 * @param saturationConnections connections for saturation runs
 * @param payloadBytes the POST body size (the echo answers with the same)
 * @param protocol what the generator speaks, and the proxies between each other where they can
 * @param placement which CPUs the load side and the proxies use
 * @param kernelFloor how long sockperf measures the loopback round trip (zero: skip)
 * @param fanoutClients simulated xDS client counts for the control-plane figure (empty: skip)
 * @param fanoutApplies applies per client count
 */
public record BenchPlan(
    List<String> scenarios,
    List<Integer> rates,
    boolean saturation,
    int repeats,
    Duration primer,
    Duration warmup,
    Duration duration,
    Duration saturationDuration,
    int connections,
    int saturationConnections,
    int payloadBytes,
    Protocol protocol,
    CpuPlacement placement,
    Duration kernelFloor,
    List<Integer> fanoutClients,
    int fanoutApplies) {

  /**
   * The rate a saturation run asks for: beyond any scenario here, so the connections never idle.
   */
  static final int SATURATION_RATE = 400_000;

  public BenchPlan {
    scenarios = List.copyOf(scenarios);
    rates = List.copyOf(rates);
    fanoutClients = List.copyOf(fanoutClients);
    if (scenarios.isEmpty()) {
      throw new IllegalArgumentException("at least one scenario is needed");
    }
    scenarios.forEach(Scenario::named); // unknown names fail here, listing the known ones
    if (rates.isEmpty() && !saturation) {
      throw new IllegalArgumentException("at least one rate, or saturation, is needed");
    }
    if (rates.stream().anyMatch(r -> r <= 0)) {
      throw new IllegalArgumentException("rates must be positive, were " + rates);
    }
    if (repeats < 1) {
      throw new IllegalArgumentException("repeats must be at least 1, was " + repeats);
    }
  }

  /** About 12 minutes on 2 cores: every scenario at 1,000/s and 4,000/s and saturated, 3 times. */
  public static BenchPlan full(int cpus) {
    return new BenchPlan(
        Scenario.all().stream().map(Scenario::name).toList(),
        List.of(1000, 4000),
        true,
        3,
        Duration.ofSeconds(5),
        Duration.ofSeconds(3),
        Duration.ofSeconds(8),
        Duration.ofSeconds(4),
        4,
        16,
        1024,
        Protocol.HTTP1,
        CpuPlacement.defaultFor(cpus),
        Duration.ofSeconds(5),
        List.of(10, 100, 1000),
        20);
  }

  /** A few seconds per scenario, every code path once: what the test suite runs. */
  public static BenchPlan smoke(int cpus) {
    return new BenchPlan(
        Scenario.all().stream().map(Scenario::name).toList(),
        List.of(200),
        true,
        1,
        Duration.ZERO,
        Duration.ofMillis(500),
        Duration.ofSeconds(2),
        Duration.ofSeconds(1),
        2,
        4,
        1024,
        Protocol.HTTP1,
        CpuPlacement.defaultFor(cpus),
        Duration.ofSeconds(1),
        List.of(10),
        2);
  }
}
