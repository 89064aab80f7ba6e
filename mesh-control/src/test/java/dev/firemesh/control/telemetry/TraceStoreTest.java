package dev.firemesh.control.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Searches, one trace's spans with its root, slowest and failing span, and the memory bound. */
class TraceStoreTest {
  private static final long MS = 1_000_000L;
  private static final long T0 = 1_800_000_000_000L * MS;

  private static TraceSpan span(
      String trace,
      String id,
      String parent,
      String service,
      long startMs,
      long endMs,
      boolean failed) {
    return new TraceSpan(
        trace,
        id,
        parent,
        service,
        service + " op",
        parent.isEmpty() ? "server" : "client",
        T0 + startMs * MS,
        T0 + endMs * MS,
        failed ? "error" : "unset",
        "",
        Map.of("padding", "x".repeat(200)));
  }

  private static String trace(int n) {
    return String.format("%032x", n + 1);
  }

  private static String id(int n) {
    return String.format("%016x", n + 1);
  }

  /** gateway -> orders (own time 5 ms) -> risk (own time 30 ms, failed); orders failed too. */
  private static List<TraceSpan> orderTrace(String trace, long at) {
    return List.of(
        span(trace, id(1), "", "gateway", at, at + 50, false),
        span(trace, id(2), id(1), "orders", at + 2, at + 47, true),
        span(trace, id(3), id(2), "risk", at + 10, at + 40, true),
        span(trace, id(4), id(2), "reference-data", at + 4, at + 14, false));
  }

  @Test
  void aTraceComesBackWholeWithItsRootSlowestAndFailingSpan() {
    TraceStore store = new TraceStore(8 * 1024 * 1024, new TelemetryMetrics());
    List<TraceSpan> spans = orderTrace(trace(1), 0);
    // different services' sidecars export separately, in any order
    store.add(List.of(spans.get(2), spans.get(3)));
    store.add(List.of(spans.get(0), spans.get(1)));

    TraceDetail detail = store.trace(trace(1)).orElseThrow();

    assertThat(detail.spans())
        .extracting(TraceSpan::spanId)
        .containsExactly(id(1), id(2), id(4), id(3));
    assertThat(detail.rootSpanId()).isEqualTo(id(1));
    // risk's 30 ms of its own beat the root's 5 and orders' 5
    assertThat(detail.slowestSpanId()).isEqualTo(id(3));
    // orders failed because risk did: risk is where it began
    assertThat(detail.failingSpanId()).contains(id(3));
    TraceSummary summary = detail.summary();
    assertThat(summary.rootService()).isEqualTo("gateway");
    assertThat(summary.durationMs()).isEqualTo(50.0);
    assertThat(summary.spanCount()).isEqualTo(4);
    assertThat(summary.services()).containsExactly("gateway", "orders", "reference-data", "risk");
    assertThat(summary.error()).isTrue();
    assertThat(store.trace(trace(99))).isEmpty();
  }

  @Test
  void searchFiltersByServiceOutcomeDurationAndTimeNewestFirst() {
    TraceStore store = new TraceStore(8 * 1024 * 1024, new TelemetryMetrics());
    store.add(orderTrace(trace(1), 0)); // failed, 50 ms
    store.add(List.of(span(trace(2), id(1), "", "orders", 1000, 1003, false))); // ok, 3 ms
    store.add(List.of(span(trace(3), id(1), "", "market-data", 2000, 2100, false))); // ok, 100 ms

    assertThat(ids(store.search(TraceQuery.all()))).containsExactly(trace(3), trace(2), trace(1));
    assertThat(ids(store.search(query(Optional.of("orders"), TraceQuery.Outcome.ANY, 0, 20))))
        .containsExactly(trace(2), trace(1));
    assertThat(ids(store.search(query(Optional.empty(), TraceQuery.Outcome.ERROR, 0, 20))))
        .containsExactly(trace(1));
    assertThat(ids(store.search(query(Optional.empty(), TraceQuery.Outcome.OK, 0, 20))))
        .containsExactly(trace(3), trace(2));
    assertThat(ids(store.search(query(Optional.empty(), TraceQuery.Outcome.ANY, 50, 20))))
        .containsExactly(trace(3), trace(1));
    assertThat(ids(store.search(query(Optional.empty(), TraceQuery.Outcome.ANY, 0, 1))))
        .containsExactly(trace(3));
    Instant second = Instant.ofEpochSecond(0, T0).plusMillis(1000);
    assertThat(
            ids(
                store.search(
                    new TraceQuery(
                        Optional.empty(),
                        TraceQuery.Outcome.ANY,
                        0,
                        Optional.of(second),
                        Optional.of(second.plusMillis(500)),
                        20))))
        .containsExactly(trace(2));
  }

  @Test
  void overItsBudgetTheStoreDropsTheOldestWholeTraces() {
    TelemetryMetrics metrics = new TelemetryMetrics();
    long budget = 1024 * 1024;
    TraceStore store = new TraceStore(budget, metrics);
    long perTrace = orderTrace(trace(0), 0).stream().mapToLong(TraceSpan::estimatedBytes).sum();
    int traces = (int) (3 * budget / perTrace);

    for (int t = 0; t < traces; t++) {
      List<TraceSpan> spans = orderTrace(trace(t), t);
      // each trace arrives in two exports, as from two sidecars
      store.add(spans.subList(0, 2));
      store.add(spans.subList(2, 4));
      assertThat(store.bytes()).isLessThanOrEqualTo(budget);
    }

    int kept = store.traceCount();
    assertThat(kept).isBetween((int) (budget / perTrace) - 1, (int) (budget / perTrace));
    assertThat(store.trace(trace(0))).isEmpty();
    // what is left is the newest, each whole
    for (int t = traces - kept; t < traces; t++) {
      assertThat(store.trace(trace(t)).orElseThrow().spans()).hasSize(4);
    }
    assertThat(metrics.tracesEvicted()).isEqualTo(traces - kept);
  }

  @Test
  void aSpanSentAgainReplacesItselfAndTheBudgetHasAFloor() {
    TraceStore store = new TraceStore(8 * 1024 * 1024, new TelemetryMetrics());
    List<TraceSpan> spans = new ArrayList<>(orderTrace(trace(1), 0));
    store.add(spans);
    long bytes = store.bytes();

    store.add(spans); // an exporter's retry

    assertThat(store.trace(trace(1)).orElseThrow().spans()).hasSize(4);
    assertThat(store.bytes()).isEqualTo(bytes);
    assertThatThrownBy(() -> new TraceStore(1000, new TelemetryMetrics()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at least 1 MiB");
  }

  private static TraceQuery query(
      Optional<String> service, TraceQuery.Outcome outcome, double minMs, int limit) {
    return new TraceQuery(service, outcome, minMs, Optional.empty(), Optional.empty(), limit);
  }

  private static List<String> ids(List<TraceSummary> found) {
    return found.stream().map(TraceSummary::traceId).toList();
  }
}
