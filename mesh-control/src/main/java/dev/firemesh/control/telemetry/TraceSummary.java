package dev.firemesh.control.telemetry;

import java.time.Instant;
import java.util.List;

/**
 * A trace at a glance: where it began (its root span's service and name), when, how long it took
 * from its first span's start to its last span's end, and whether any span failed.
 */
public record TraceSummary(
    String traceId,
    String rootService,
    String rootName,
    Instant start,
    double durationMs,
    int spanCount,
    List<String> services,
    boolean error) {
  public TraceSummary {
    services = List.copyOf(services);
  }
}
