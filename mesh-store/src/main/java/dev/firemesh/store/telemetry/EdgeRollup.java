package dev.firemesh.store.telemetry;

import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;

/**
 * What one replica saw on one edge in one 10-second bucket.
 *
 * @param bucketStart the bucket's start, a multiple of 10 s since the epoch
 * @param replica the control-plane replica that collected it
 * @param bucketBounds the latency histogram's upper bounds in seconds, ascending ({@code Infinity}
 *     last when present)
 * @param bucketCounts the cumulative count of calls at or below each bound
 * @param p50Ms the median latency in milliseconds, NaN without calls
 * @param p99Ms the 99th percentile in milliseconds, NaN without calls
 */
public record EdgeRollup(
    Instant bucketStart,
    String replica,
    String source,
    String destination,
    long requests,
    long errors,
    double[] bucketBounds,
    long[] bucketCounts,
    double p50Ms,
    double p99Ms) {
  public EdgeRollup {
    Objects.requireNonNull(bucketStart, "bucketStart");
    Objects.requireNonNull(replica, "replica");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(destination, "destination");
    if (bucketBounds.length != bucketCounts.length) {
      throw new IllegalArgumentException(
          bucketBounds.length + " bucket bounds but " + bucketCounts.length + " counts");
    }
    if (requests < 0 || errors < 0 || errors > requests) {
      throw new IllegalArgumentException(
          "requests " + requests + " and errors " + errors + " must be 0 <= errors <= requests");
    }
    bucketBounds = bucketBounds.clone();
    bucketCounts = bucketCounts.clone();
  }

  @Override
  public double[] bucketBounds() {
    return bucketBounds.clone();
  }

  @Override
  public long[] bucketCounts() {
    return bucketCounts.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof EdgeRollup r
        && bucketStart.equals(r.bucketStart)
        && replica.equals(r.replica)
        && source.equals(r.source)
        && destination.equals(r.destination)
        && requests == r.requests
        && errors == r.errors
        && Arrays.equals(bucketBounds, r.bucketBounds)
        && Arrays.equals(bucketCounts, r.bucketCounts)
        && Double.compare(p50Ms, r.p50Ms) == 0
        && Double.compare(p99Ms, r.p99Ms) == 0;
  }

  @Override
  public int hashCode() {
    return Objects.hash(bucketStart, replica, source, destination, requests, errors);
  }

  @Override
  public String toString() {
    return "EdgeRollup["
        + bucketStart
        + " "
        + replica
        + " "
        + source
        + "->"
        + destination
        + " requests="
        + requests
        + " errors="
        + errors
        + " p50Ms="
        + p50Ms
        + " p99Ms="
        + p99Ms
        + "]";
  }
}
