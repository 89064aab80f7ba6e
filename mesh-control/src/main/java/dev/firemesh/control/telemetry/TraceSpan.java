package dev.firemesh.control.telemetry;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One span as the trace store keeps it: ids as lower-case hex, times in nanoseconds since the
 * epoch, attribute values as JSON-ready Java values (String, Long, Double, Boolean, List, Map).
 *
 * @param parentSpanId empty for a root span
 * @param kind {@code server}, {@code client}, {@code internal}, {@code producer}, {@code consumer}
 *     or {@code unspecified}
 * @param status {@code ok}, {@code error} or {@code unset}
 */
public record TraceSpan(
    String traceId,
    String spanId,
    String parentSpanId,
    String service,
    String name,
    String kind,
    long startNanos,
    long endNanos,
    String status,
    String statusMessage,
    Map<String, Object> attributes) {
  /** What a span costs besides its text: object headers, references, the map. */
  private static final int FIXED_BYTES = 240;

  public TraceSpan {
    Objects.requireNonNull(traceId, "traceId");
    Objects.requireNonNull(spanId, "spanId");
    Objects.requireNonNull(parentSpanId, "parentSpanId");
    Objects.requireNonNull(service, "service");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(statusMessage, "statusMessage");
    attributes = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(attributes));
  }

  public boolean failed() {
    return status.equals("error");
  }

  public long durationNanos() {
    return endNanos - startNanos;
  }

  /**
   * About what the span holds on the heap: the store's budget is spent in these. Strings count two
   * bytes a character (the worst case of the JDK's compact strings), plus their headers.
   */
  public long estimatedBytes() {
    long bytes = FIXED_BYTES;
    for (String s : List.of(traceId, spanId, parentSpanId, service, name, kind, status)) {
      bytes += text(s);
    }
    bytes += text(statusMessage);
    for (Map.Entry<String, Object> a : attributes.entrySet()) {
      bytes += 48 + text(a.getKey()) + value(a.getValue());
    }
    return bytes;
  }

  private static long text(String s) {
    return 40 + 2L * s.length();
  }

  private static long value(Object v) {
    return switch (v) {
      case String s -> text(s);
      case List<?> list -> {
        long sum = 40;
        for (Object o : list) {
          sum += 8 + value(o);
        }
        yield sum;
      }
      case Map<?, ?> map -> {
        long sum = 64;
        for (Map.Entry<?, ?> e : map.entrySet()) {
          sum += 48 + text(String.valueOf(e.getKey())) + value(e.getValue());
        }
        yield sum;
      }
      default -> 24;
    };
  }
}
