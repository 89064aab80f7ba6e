package dev.firemesh.control.canary;

import dev.firemesh.control.scrape.ExpositionText;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * One sidecar's per-cluster upstream counters, read from its {@code /stats/prometheus}: {@code
 * firemesh_proxy_upstream_responses_total{cluster,status_class}}, {@code
 * ..._failures_total{cluster,reason}} and {@code ..._request_duration_seconds_bucket{cluster,le}}.
 * Samples with negative or non-finite values are ignored.
 */
final class UpstreamTable {
  static final String PREFIX = "firemesh_proxy_upstream_";
  private static final String RESPONSES = PREFIX + "responses_total";
  private static final String FAILURES = PREFIX + "failures_total";
  private static final String BUCKETS = PREFIX + "request_duration_seconds_bucket";

  /**
   * Clusters kept per sidecar: bounded by configuration in a real sidecar, not by anything here.
   */
  static final int MAX_CLUSTERS = 10_000;

  private UpstreamTable() {}

  /** Counters by cluster name ({@code orders|v2}). */
  static Map<String, UpstreamCounters> read(ExpositionText.Parsed parsed) {
    Map<String, long[]> counts = new HashMap<>(); // requests, errors
    Map<String, TreeMap<Double, Long>> buckets = new HashMap<>();
    for (ExpositionText.Sample s : parsed.samples()) {
      String cluster = s.label("cluster");
      if (cluster.isEmpty()
          || !Double.isFinite(s.value())
          || s.value() < 0
          || s.value() > Long.MAX_VALUE / 4
          || (!counts.containsKey(cluster) && counts.size() == MAX_CLUSTERS)) {
        continue;
      }
      long value = (long) s.value();
      switch (s.name()) {
        case RESPONSES -> {
          long[] c = counts.computeIfAbsent(cluster, k -> new long[2]);
          c[0] += value;
          if (s.label("status_class").equals("5xx")) {
            c[1] += value;
          }
        }
        case FAILURES -> {
          long[] c = counts.computeIfAbsent(cluster, k -> new long[2]);
          c[0] += value;
          c[1] += value;
        }
        case BUCKETS -> {
          Double le = bound(s.label("le"));
          if (le != null) {
            counts.computeIfAbsent(cluster, k -> new long[2]);
            buckets.computeIfAbsent(cluster, k -> new TreeMap<>()).put(le, value);
          }
        }
        default -> {}
      }
    }
    Map<String, UpstreamCounters> table = new HashMap<>();
    counts.forEach(
        (cluster, c) ->
            table.put(
                cluster,
                new UpstreamCounters(c[0], c[1], buckets.getOrDefault(cluster, new TreeMap<>()))));
    return table;
  }

  private static Double bound(String le) {
    if (le.equals("+Inf")) {
      return Double.POSITIVE_INFINITY;
    }
    try {
      double bound = Double.parseDouble(le);
      return Double.isFinite(bound) && bound >= 0 ? bound : null;
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
