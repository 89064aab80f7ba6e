package dev.firemesh.control.canary;

import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What callers' sidecars counted for one upstream cluster: tries (answers of every status class
 * plus tries that got no answer), errors among them (5xx answers plus tries without an answer), and
 * the latency histogram (cumulative counts by upper bound in seconds, {@code +Inf} last).
 *
 * <p>Counters only grow while a sidecar lives; {@link #since} gives the increase over a window and
 * treats a decrease as a restart (the increase is then everything counted since), as Prometheus's
 * {@code increase()} does.
 */
record UpstreamCounters(long requests, long errors, NavigableMap<Double, Long> buckets) {
  static final UpstreamCounters NONE = new UpstreamCounters(0, 0, new TreeMap<>());

  UpstreamCounters {
    Objects.requireNonNull(buckets, "buckets");
    buckets = java.util.Collections.unmodifiableNavigableMap(new TreeMap<>(buckets));
  }

  /** The increase since {@code earlier}, the same sidecar's counters at the window's start. */
  UpstreamCounters since(UpstreamCounters earlier) {
    boolean reset = requests < earlier.requests || errors < earlier.errors;
    for (Map.Entry<Double, Long> b : buckets.entrySet()) {
      reset |= b.getValue() < earlier.buckets.getOrDefault(b.getKey(), 0L);
    }
    if (reset) {
      return this;
    }
    TreeMap<Double, Long> delta = new TreeMap<>();
    buckets.forEach((le, n) -> delta.put(le, n - earlier.buckets.getOrDefault(le, 0L)));
    return new UpstreamCounters(requests - earlier.requests, errors - earlier.errors, delta);
  }

  /** Both sidecars' counts together (histograms with the same bounds add up bucket by bucket). */
  UpstreamCounters plus(UpstreamCounters other) {
    TreeMap<Double, Long> sum = new TreeMap<>(buckets);
    other.buckets.forEach((le, n) -> sum.merge(le, n, Long::sum));
    return new UpstreamCounters(requests + other.requests, errors + other.errors, sum);
  }

  /** Errors as a percentage of requests; 0 with no requests. */
  double errorPercent() {
    return requests == 0 ? 0 : 100.0 * errors / requests;
  }

  /** How many latency observations the histogram holds. */
  long observations() {
    return buckets.isEmpty() ? 0 : buckets.lastEntry().getValue();
  }

  /**
   * The {@code q} quantile of latency in seconds, interpolated linearly within its bucket as
   * Prometheus's {@code histogram_quantile} does; {@code NaN} without observations. A quantile in
   * the {@code +Inf} bucket is reported as the highest finite bound.
   */
  double quantileSeconds(double q) {
    Optional<Bucket> found = bucketOf(q);
    if (found.isEmpty()) {
      return Double.NaN;
    }
    Bucket bucket = found.get();
    if (Double.isInfinite(bucket.upper())) {
      return bucket.lower();
    }
    double inBucket = bucket.count() - bucket.below();
    double fraction = inBucket <= 0 ? 1 : (bucket.rank() - bucket.below()) / inBucket;
    return bucket.lower() + (bucket.upper() - bucket.lower()) * Math.min(1, Math.max(0, fraction));
  }

  /**
   * The bucket the {@code q} quantile falls in (bounds in seconds); empty without observations.
   * What a comparison can trust: within a bucket, the histogram says nothing about where the
   * quantile is.
   */
  Optional<Bucket> quantileBucket(double q) {
    return bucketOf(q);
  }

  /**
   * One latency bucket, {@code (lower, upper]} in seconds, with the observations below it, up to
   * its upper bound, and the rank sought.
   */
  record Bucket(double lower, double upper, long below, long count, double rank) {}

  private Optional<Bucket> bucketOf(double q) {
    long total = observations();
    if (total <= 0) {
      return Optional.empty();
    }
    double rank = q * total;
    double lower = 0;
    long below = 0;
    for (Map.Entry<Double, Long> b : buckets.entrySet()) {
      if (b.getValue() >= rank && b.getValue() > below) {
        return Optional.of(new Bucket(lower, b.getKey(), below, b.getValue(), rank));
      }
      lower = b.getKey();
      below = b.getValue();
    }
    return Optional.of(new Bucket(lower, Double.POSITIVE_INFINITY, below, total, rank));
  }
}
