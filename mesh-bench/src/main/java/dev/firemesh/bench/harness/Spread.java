package dev.firemesh.bench.harness;

import java.util.Arrays;
import java.util.List;

/**
 * A figure over repeats: the median, which is what tables quote, and the smallest and largest
 * repeat, which say how far to trust it.
 */
public record Spread(double median, double min, double max) {

  static Spread of(List<Double> values) {
    if (values.isEmpty()) {
      throw new IllegalArgumentException("no values");
    }
    double[] sorted = values.stream().mapToDouble(Double::doubleValue).toArray();
    Arrays.sort(sorted);
    int n = sorted.length;
    double median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    return new Spread(median, sorted[0], sorted[n - 1]);
  }

  /** This figure minus a baseline's, median minus median (the spread is this figure's own). */
  Spread minus(Spread baseline) {
    return new Spread(median - baseline.median, min - baseline.median, max - baseline.median);
  }
}
