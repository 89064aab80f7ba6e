package dev.firemesh.bench;

import org.HdrHistogram.Histogram;

/** Percentiles of a latency distribution, in microseconds. */
public record LatencySummary(
    long p50, long p90, long p99, long p999, long max, double mean, long count) {

  static LatencySummary of(Histogram micros) {
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
        micros.getTotalCount());
  }
}
