package dev.firemesh.bench;

import java.util.ArrayList;
import java.util.List;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramIterationValue;

/**
 * Percentiles of a latency distribution, in microseconds.
 *
 * @param percentiles the latency-by-percentile curve to plot (as HdrHistogram's {@code .hgrm}
 *     output): points at percentiles that close in on 100 geometrically (50, 75, 87.5...), a few
 *     per halving of the remaining distance, up to the maximum; fewer than {@value #MAX_POINTS}
 */
public record LatencySummary(
    long p50,
    long p90,
    long p99,
    long p999,
    long max,
    double mean,
    long count,
    List<Point> percentiles) {

  /** The most points a curve has, so that a report stays small whatever the run's length. */
  static final int MAX_POINTS = 100;

  private static final int TICKS_PER_HALF_DISTANCE = 5;

  /** One point of the curve: {@code micros} is the latency at {@code percentile} (0 to 100). */
  public record Point(double percentile, long micros) {}

  public LatencySummary {
    percentiles = List.copyOf(percentiles);
  }

  /** A summary without its curve. */
  public LatencySummary(
      long p50, long p90, long p99, long p999, long max, double mean, long count) {
    this(p50, p90, p99, p999, max, mean, count, List.of());
  }

  public static LatencySummary of(Histogram micros) {
    if (micros.getTotalCount() == 0) {
      return new LatencySummary(0, 0, 0, 0, 0, 0, 0);
    }
    return new LatencySummary(
        micros.getValueAtPercentile(50),
        micros.getValueAtPercentile(90),
        micros.getValueAtPercentile(99),
        micros.getValueAtPercentile(99.9),
        micros.getMaxValue(),
        micros.getMean(),
        micros.getTotalCount(),
        curve(micros));
  }

  /**
   * The curve with as many ticks per halving as fit: a long run reaches further percentiles (each
   * halving of the distance to 100 needs twice the samples), so it gets fewer ticks per halving.
   */
  static List<Point> curve(Histogram micros) {
    for (int ticks = TICKS_PER_HALF_DISTANCE; ; ticks--) {
      List<Point> points = new ArrayList<>();
      for (HistogramIterationValue v : micros.percentiles(ticks)) {
        points.add(new Point(v.getPercentileLevelIteratedTo(), v.getValueIteratedTo()));
        if (points.size() >= MAX_POINTS) {
          break;
        }
      }
      if (points.size() < MAX_POINTS || ticks == 1) {
        return points.subList(0, Math.min(points.size(), MAX_POINTS - 1));
      }
    }
  }
}
