package dev.firemesh.bench.harness;

import dev.firemesh.bench.LatencySummary;
import java.util.List;
import java.util.Optional;
import java.util.function.ToDoubleFunction;

/**
 * What one scenario showed at one load, over all repeats. Latencies in microseconds, from each
 * request's intended send time.
 *
 * @param addedP50 the median p50 minus the direct path's at the same load (empty for direct)
 * @param addedP99 the same for p99
 * @param overloadedRepeats repeats in which the scenario did not keep up with the rate
 * @param errors non-2xx answers and lost requests over all repeats
 * @param curve the latency-by-percentile curve of the repeat with the median p99, for plots
 */
public record ScenarioFigures(
    String scenario,
    String load,
    int repeats,
    Spread p50,
    Spread p90,
    Spread p99,
    Spread p999,
    Spread max,
    Spread achievedRate,
    Spread cpuSecondsPer10k,
    long maxProxyRssBytes,
    int overloadedRepeats,
    long errors,
    Optional<Spread> addedP50,
    Optional<Spread> addedP99,
    List<CurvePoint> curve) {

  /** One point of a latency curve: at {@code percentile} percent, {@code micros}. */
  public record CurvePoint(double percentile, double micros) {}

  static ScenarioFigures of(List<Measurement> runs, Optional<ScenarioFigures> direct) {
    Measurement first = runs.getFirst();
    Spread p50 = spread(runs, s -> s.p50());
    Spread p99 = spread(runs, s -> s.p99());
    Measurement medianRun =
        runs.stream()
            .sorted(java.util.Comparator.comparingLong(m -> m.report().latencyMicros().p99()))
            .toList()
            .get(runs.size() / 2);
    return new ScenarioFigures(
        first.scenario(),
        first.load(),
        runs.size(),
        p50,
        spread(runs, s -> s.p90()),
        p99,
        spread(runs, s -> s.p999()),
        spread(runs, s -> s.max()),
        Spread.of(runs.stream().map(m -> m.report().achievedRate()).toList()),
        Spread.of(runs.stream().map(Measurement::cpuSecondsPer10k).toList()),
        runs.stream().mapToLong(Measurement::maxProxyRssBytes).max().orElse(0),
        (int) runs.stream().filter(m -> !m.report().keptUp()).count(),
        runs.stream().mapToLong(m -> m.report().errors()).sum(),
        direct.map(d -> p50.minus(d.p50())),
        direct.map(d -> p99.minus(d.p99())),
        curve(medianRun.report().latencyMicros()));
  }

  private static Spread spread(List<Measurement> runs, ToDoubleFunction<LatencySummary> figure) {
    return Spread.of(
        runs.stream().map(m -> figure.applyAsDouble(m.report().latencyMicros())).toList());
  }

  private static List<CurvePoint> curve(LatencySummary s) {
    if (!s.percentiles().isEmpty()) {
      return s.percentiles().stream().map(p -> new CurvePoint(p.percentile(), p.micros())).toList();
    }
    // a report without the curve (an older generator's JSON): the summary's own points
    return List.of(
        new CurvePoint(50, s.p50()),
        new CurvePoint(90, s.p90()),
        new CurvePoint(99, s.p99()),
        new CurvePoint(99.9, s.p999()),
        new CurvePoint(100, s.max()));
  }
}
