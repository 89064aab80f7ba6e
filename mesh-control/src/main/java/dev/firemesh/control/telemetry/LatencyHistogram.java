package dev.firemesh.control.telemetry;

import java.util.Arrays;
import java.util.Objects;

/**
 * A latency histogram as Prometheus exposes one: cumulative counts by upper bound in seconds,
 * ascending, {@code +Inf} last when present. Immutable; the arrays never leave it.
 *
 * <p>Histograms whose bounds differ are added over the union of their bounds, each side's count at
 * a bound it lacks being its count at its next lower bound: a lower estimate, exact when (as with
 * every FireMesh sidecar) the bounds are the same.
 */
public final class LatencyHistogram {
  public static final LatencyHistogram EMPTY = new LatencyHistogram(new double[0], new long[0]);

  private final double[] bounds;
  private final long[] cumulative;

  private LatencyHistogram(double[] bounds, long[] cumulative) {
    this.bounds = bounds;
    this.cumulative = cumulative;
  }

  /**
   * @param bounds upper bounds in seconds, strictly ascending
   * @param cumulative the count of observations at or below each bound
   */
  public static LatencyHistogram of(double[] bounds, long[] cumulative) {
    Objects.requireNonNull(bounds, "bounds");
    Objects.requireNonNull(cumulative, "cumulative");
    if (bounds.length != cumulative.length) {
      throw new IllegalArgumentException(
          bounds.length + " bounds but " + cumulative.length + " counts");
    }
    for (int i = 1; i < bounds.length; i++) {
      if (!(bounds[i] > bounds[i - 1])) {
        throw new IllegalArgumentException("bounds must ascend: " + Arrays.toString(bounds));
      }
    }
    return new LatencyHistogram(bounds.clone(), cumulative.clone());
  }

  public double[] bounds() {
    return bounds.clone();
  }

  public long[] cumulative() {
    return cumulative.clone();
  }

  /** Observations in all: the count at the highest bound. */
  public long count() {
    return cumulative.length == 0 ? 0 : cumulative[cumulative.length - 1];
  }

  public boolean isEmpty() {
    return count() == 0;
  }

  /** True if a count is lower than {@code earlier}'s at the same bound: the source restarted. */
  boolean fellBelow(LatencyHistogram earlier) {
    for (int i = 0; i < earlier.bounds.length; i++) {
      if (countAt(earlier.bounds[i]) < earlier.cumulative[i]) {
        return true;
      }
    }
    return false;
  }

  /** Bound by bound, this minus {@code earlier} (never below zero). */
  LatencyHistogram minus(LatencyHistogram earlier) {
    if (earlier.cumulative.length == 0) {
      return this;
    }
    long[] counts = new long[bounds.length];
    for (int i = 0; i < bounds.length; i++) {
      counts[i] = Math.max(0, cumulative[i] - earlier.countAt(bounds[i]));
    }
    return new LatencyHistogram(bounds, monotone(counts));
  }

  /** Both histograms' observations together. */
  public LatencyHistogram plus(LatencyHistogram other) {
    if (other.bounds.length == 0) {
      return this;
    }
    if (bounds.length == 0) {
      return other;
    }
    if (Arrays.equals(bounds, other.bounds)) {
      long[] counts = new long[bounds.length];
      for (int i = 0; i < counts.length; i++) {
        counts[i] = cumulative[i] + other.cumulative[i];
      }
      return new LatencyHistogram(bounds, counts);
    }
    double[] union = Arrays.stream(concat(bounds, other.bounds)).distinct().sorted().toArray();
    long[] counts = new long[union.length];
    for (int i = 0; i < union.length; i++) {
      counts[i] = countAt(union[i]) + other.countAt(union[i]);
    }
    return new LatencyHistogram(union, counts);
  }

  /** The cumulative count at {@code bound}: that of the highest bound not above it. */
  private long countAt(double bound) {
    int i = Arrays.binarySearch(bounds, bound);
    if (i >= 0) {
      return cumulative[i];
    }
    int below = -i - 2;
    return below < 0 ? 0 : cumulative[below];
  }

  /**
   * The {@code q} quantile in seconds, interpolated linearly within its bucket as Prometheus's
   * {@code histogram_quantile} does: the first bucket starts at 0, and a quantile that falls in the
   * {@code +Inf} bucket is the highest finite bound (all that is known is "above it"). NaN when
   * there are no observations.
   */
  public double quantile(double q) {
    long total = count();
    if (total == 0 || q < 0 || q > 1 || Double.isNaN(q)) {
      return Double.NaN;
    }
    double rank = q * total;
    for (int i = 0; i < bounds.length; i++) {
      if (cumulative[i] >= rank && cumulative[i] > 0) {
        if (Double.isInfinite(bounds[i])) {
          return i == 0 ? Double.NaN : bounds[i - 1];
        }
        double lower = i == 0 ? 0 : bounds[i - 1];
        long below = i == 0 ? 0 : cumulative[i - 1];
        long inBucket = cumulative[i] - below;
        if (inBucket == 0) {
          return bounds[i];
        }
        return lower + (bounds[i] - lower) * ((rank - below) / inBucket);
      }
    }
    return bounds[bounds.length - 1];
  }

  /** Counts made non-decreasing: a source's buckets are read one by one, not atomically. */
  private static long[] monotone(long[] counts) {
    for (int i = 1; i < counts.length; i++) {
      counts[i] = Math.max(counts[i], counts[i - 1]);
    }
    return counts;
  }

  private static double[] concat(double[] a, double[] b) {
    double[] both = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, both, a.length, b.length);
    return both;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof LatencyHistogram h
        && Arrays.equals(bounds, h.bounds)
        && Arrays.equals(cumulative, h.cumulative);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(bounds) + Arrays.hashCode(cumulative);
  }

  @Override
  public String toString() {
    return "LatencyHistogram" + Arrays.toString(bounds) + Arrays.toString(cumulative);
  }
}
