package dev.firemesh.control.telemetry;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * The telemetry pipeline's own counters, per replica, and their Prometheus text (on the control
 * plane's {@code /metrics}): spans received, rejected and dropped, traces evicted, the trace
 * store's size against its budget, scrapes and their failures, rollups written and failed. Labels:
 * none but the fixed {@code reason} of dropped spans.
 */
public final class TelemetryMetrics {
  private final LongAdder spansReceived = new LongAdder();
  private final LongAdder spansRejected = new LongAdder();
  private final LongAdder spansDroppedFull = new LongAdder();
  private final LongAdder spansEvicted = new LongAdder();
  private final LongAdder tracesEvicted = new LongAdder();
  private final LongAdder scrapes = new LongAdder();
  private final LongAdder scrapeFailures = new LongAdder();
  private final AtomicLong sidecarsScraped = new AtomicLong();
  private final LongAdder rollupsWritten = new LongAdder();
  private final LongAdder rollupFailures = new LongAdder();

  void spansReceived(int n) {
    spansReceived.add(n);
  }

  void spansRejected(int n) {
    spansRejected.add(n);
  }

  /** Spans past a trace's limit. */
  void spansDropped(int n) {
    spansDroppedFull.add(n);
  }

  void tracesEvicted(int traces, int spans) {
    tracesEvicted.add(traces);
    spansEvicted.add(spans);
  }

  void scraped(int asked, int failed) {
    scrapes.increment();
    scrapeFailures.add(failed);
    sidecarsScraped.set(asked - failed);
  }

  void rollupsWritten(int rows) {
    rollupsWritten.add(rows);
  }

  void rollupFailed() {
    rollupFailures.increment();
  }

  public long spansReceived() {
    return spansReceived.sum();
  }

  public long spansRejected() {
    return spansRejected.sum();
  }

  public long tracesEvicted() {
    return tracesEvicted.sum();
  }

  public long scrapeFailures() {
    return scrapeFailures.sum();
  }

  public long rollupsWritten() {
    return rollupsWritten.sum();
  }

  /**
   * Prometheus text exposition format 0.0.4.
   *
   * @param storeBytes the trace store's estimated bytes now
   * @param storeTraces the traces it holds now
   * @param budgetBytes its budget
   */
  public String exposition(LongSupplier storeBytes, LongSupplier storeTraces, long budgetBytes) {
    StringBuilder out = new StringBuilder();
    counter(
        out,
        "firemesh_telemetry_spans_received_total",
        "Spans the OTLP receiver kept.",
        spansReceived.sum());
    counter(
        out,
        "firemesh_telemetry_spans_rejected_total",
        "Spans the OTLP receiver refused (bad ids or times, another service's spans).",
        spansRejected.sum());
    out.append(
        "# HELP firemesh_telemetry_spans_dropped_total Spans the trace store let go, by reason.\n");
    out.append("# TYPE firemesh_telemetry_spans_dropped_total counter\n");
    out.append("firemesh_telemetry_spans_dropped_total{reason=\"evicted\"} ")
        .append(spansEvicted.sum())
        .append('\n');
    out.append("firemesh_telemetry_spans_dropped_total{reason=\"trace_full\"} ")
        .append(spansDroppedFull.sum())
        .append('\n');
    counter(
        out,
        "firemesh_telemetry_traces_evicted_total",
        "Whole traces evicted to stay within the trace memory budget.",
        tracesEvicted.sum());
    gauge(
        out,
        "firemesh_telemetry_trace_store_bytes",
        "Estimated heap bytes the stored spans hold.",
        storeBytes.getAsLong());
    gauge(
        out,
        "firemesh_telemetry_trace_store_budget_bytes",
        "The trace store's budget (--trace-memory).",
        budgetBytes);
    gauge(
        out, "firemesh_telemetry_trace_store_traces", "Traces held now.", storeTraces.getAsLong());
    counter(
        out,
        "firemesh_telemetry_scrapes_total",
        "Scrapes of the connected sidecars.",
        scrapes.sum());
    counter(
        out,
        "firemesh_telemetry_scrape_failures_total",
        "Sidecars that did not answer a scrape (timeout, error, too large).",
        scrapeFailures.sum());
    gauge(
        out,
        "firemesh_telemetry_sidecars_scraped",
        "Sidecars that answered the last scrape.",
        sidecarsScraped.get());
    counter(
        out,
        "firemesh_telemetry_rollups_written_total",
        "Edge rollup rows written to PostgreSQL.",
        rollupsWritten.sum());
    counter(
        out,
        "firemesh_telemetry_rollup_failures_total",
        "Rollup writes or partition maintenance that failed.",
        rollupFailures.sum());
    return out.toString();
  }

  private static void counter(StringBuilder out, String name, String help, long value) {
    family(out, name, help, "counter", value);
  }

  private static void gauge(StringBuilder out, String name, String help, long value) {
    family(out, name, help, "gauge", value);
  }

  private static void family(StringBuilder out, String name, String help, String type, long v) {
    out.append("# HELP ").append(name).append(' ').append(help).append('\n');
    out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    out.append(name).append(' ').append(v).append('\n');
  }
}
