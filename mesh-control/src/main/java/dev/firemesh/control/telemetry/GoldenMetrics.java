package dev.firemesh.control.telemetry;

import dev.firemesh.control.scrape.ExpositionText;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Reads a sidecar's golden metrics (the contract in docs/architecture.md, "Observability"): {@code
 * firemesh_requests_total{direction,source,destination,route,status_class,grpc_code}} and {@code
 * firemesh_request_duration_seconds_bucket{direction,source,destination,route,le}}, summed per
 * direction, source and destination. Micrometer writes counts as doubles ({@code 12.0}) and bounds
 * as it likes ({@code 0.001}, {@code 1.0E-4}): both are read as numbers.
 *
 * <p>The text comes from any process that connected: samples with a direction other than {@code
 * inbound} or {@code outbound}, empty services, negative or non-finite values are left out, and at
 * most {@value #MAX_SERIES} series are kept per sidecar.
 */
public final class GoldenMetrics {
  /** What the collector asks each sidecar for: both families start with it. */
  public static final String PREFIX = "firemesh_request";

  static final String REQUESTS = "firemesh_requests_total";
  static final String BUCKETS = "firemesh_request_duration_seconds_bucket";
  static final int MAX_SERIES = 10_000;

  /** gRPC codes that count as errors (an HTTP 5xx always does). */
  static final Set<String> ERROR_GRPC_CODES =
      Set.of(
          "UNKNOWN", "DEADLINE_EXCEEDED", "UNIMPLEMENTED", "INTERNAL", "UNAVAILABLE", "DATA_LOSS");

  private GoldenMetrics() {}

  /** One sidecar's counters by series. */
  public static Map<SeriesKey, Figures> read(ExpositionText.Parsed parsed) {
    Map<SeriesKey, long[]> counts = new HashMap<>(); // requests, errors
    Map<SeriesKey, TreeMap<Double, Long>> buckets = new HashMap<>();
    for (ExpositionText.Sample s : parsed.samples()) {
      boolean requests = s.name().equals(REQUESTS);
      if (!requests && !s.name().equals(BUCKETS)) {
        continue;
      }
      SeriesKey key = key(s);
      if (key == null
          || !Double.isFinite(s.value())
          || s.value() < 0
          || s.value() > Long.MAX_VALUE / 4
          || (!counts.containsKey(key) && counts.size() == MAX_SERIES)) {
        continue;
      }
      long value = Math.round(s.value());
      long[] c = counts.computeIfAbsent(key, k -> new long[2]);
      if (requests) {
        c[0] += value;
        if (isError(s.label("status_class"), s.label("grpc_code"))) {
          c[1] += value;
        }
      } else {
        Double le = bound(s.label("le"));
        if (le != null) {
          // Routes are summed away: the same bound from several routes adds up.
          buckets.computeIfAbsent(key, k -> new TreeMap<>()).merge(le, value, Long::sum);
        }
      }
    }
    Map<SeriesKey, Figures> table = new HashMap<>();
    counts.forEach(
        (key, c) -> {
          TreeMap<Double, Long> b = buckets.getOrDefault(key, new TreeMap<>());
          double[] bounds = b.keySet().stream().mapToDouble(Double::doubleValue).toArray();
          long[] cumulative = b.values().stream().mapToLong(Long::longValue).toArray();
          for (int i = 1; i < cumulative.length; i++) {
            cumulative[i] = Math.max(cumulative[i], cumulative[i - 1]);
          }
          table.put(key, new Figures(c[0], c[1], LatencyHistogram.of(bounds, cumulative)));
        });
    return table;
  }

  static boolean isError(String statusClass, String grpcCode) {
    return statusClass.equals("5xx") || ERROR_GRPC_CODES.contains(grpcCode);
  }

  private static SeriesKey key(ExpositionText.Sample s) {
    SeriesKey.Direction direction =
        switch (s.label("direction")) {
          case "inbound" -> SeriesKey.Direction.INBOUND;
          case "outbound" -> SeriesKey.Direction.OUTBOUND;
          default -> null;
        };
    String source = s.label("source");
    String destination = s.label("destination");
    if (direction == null || source.isEmpty() || destination.isEmpty()) {
      return null;
    }
    return new SeriesKey(direction, source, destination);
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
