package dev.firemesh.bench.fanout;

import java.util.Locale;
import org.HdrHistogram.Histogram;

/** Percentiles of a distribution of delays, in microseconds. */
public record DelaySummary(long p50, long p90, long p99, long max, double mean, long count) {
  static final DelaySummary EMPTY = new DelaySummary(0, 0, 0, 0, 0, 0);

  /** A histogram of microseconds, from 1 µs to an hour with three significant digits. */
  static Histogram histogram() {
    return new Histogram(3_600_000_000L, 3);
  }

  static DelaySummary of(Histogram micros) {
    if (micros.getTotalCount() == 0) {
      return EMPTY;
    }
    return new DelaySummary(
        micros.getValueAtPercentile(50),
        micros.getValueAtPercentile(90),
        micros.getValueAtPercentile(99),
        micros.getMaxValue(),
        micros.getMean(),
        micros.getTotalCount());
  }

  /** {@code p50 / p99 / max} in milliseconds, for a table. */
  String millis() {
    return ms(p50) + " / " + ms(p99) + " / " + ms(max);
  }

  static String ms(long micros) {
    return micros >= 100_000
        ? String.format(Locale.ROOT, "%d ms", Math.round(micros / 1000.0))
        : String.format(Locale.ROOT, "%.1f ms", micros / 1000.0);
  }
}
