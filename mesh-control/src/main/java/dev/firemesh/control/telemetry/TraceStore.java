package dev.firemesh.control.telemetry;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Recent traces in memory, within a budget of bytes ({@link TraceSpan#estimatedBytes}, an estimate
 * of the heap each span holds). Traces are kept in the order their first span arrived; when the
 * budget is passed the oldest traces go whole, so a trace is never shown with holes the store made.
 * A span sent again (an exporter's retry) replaces the one with its id.
 *
 * <p>Thread-safe: receivers add from many virtual threads and readers search, under one lock held
 * only for in-memory work.
 */
public final class TraceStore {
  /**
   * Spans kept per trace; later ones are dropped and counted (a runaway trace cannot evict all).
   */
  static final int MAX_SPANS_PER_TRACE = 10_000;

  private final long budgetBytes;
  private final TelemetryMetrics metrics;
  private final ReentrantLock lock = new ReentrantLock();
  private final LinkedHashMap<String, StoredTrace> traces = new LinkedHashMap<>();
  private long bytes;

  /** One trace's spans by id, their bytes, and its summary once asked for. */
  private static final class StoredTrace {
    final LinkedHashMap<String, TraceSpan> spans = new LinkedHashMap<>();
    long bytes;
    TraceSummary summary;
  }

  /**
   * @param budgetBytes the most the spans may hold, by estimate
   */
  public TraceStore(long budgetBytes, TelemetryMetrics metrics) {
    if (budgetBytes < 1024 * 1024) {
      throw new IllegalArgumentException(
          "the trace store needs at least 1 MiB, got " + budgetBytes + " bytes");
    }
    this.budgetBytes = budgetBytes;
    this.metrics = metrics;
  }

  public long budgetBytes() {
    return budgetBytes;
  }

  /** Keeps the spans, then evicts the oldest traces until the store is within its budget. */
  public void add(List<TraceSpan> spans) {
    lock.lock();
    try {
      for (TraceSpan span : spans) {
        StoredTrace trace = traces.computeIfAbsent(span.traceId(), id -> new StoredTrace());
        TraceSpan before = trace.spans.get(span.spanId());
        if (before == null && trace.spans.size() == MAX_SPANS_PER_TRACE) {
          metrics.spansDropped(1);
          continue;
        }
        long size = span.estimatedBytes();
        long delta = size - (before == null ? 0 : before.estimatedBytes());
        trace.spans.put(span.spanId(), span);
        trace.bytes += delta;
        trace.summary = null;
        bytes += delta;
      }
      Iterator<StoredTrace> oldest = traces.values().iterator();
      while (bytes > budgetBytes && oldest.hasNext()) {
        StoredTrace evicted = oldest.next();
        oldest.remove();
        bytes -= evicted.bytes;
        metrics.tracesEvicted(1, evicted.spans.size());
      }
    } finally {
      lock.unlock();
    }
  }

  /** Estimated bytes held now. */
  public long bytes() {
    lock.lock();
    try {
      return bytes;
    } finally {
      lock.unlock();
    }
  }

  public int traceCount() {
    lock.lock();
    try {
      return traces.size();
    } finally {
      lock.unlock();
    }
  }

  /** The traces that match, newest start first. */
  public List<TraceSummary> search(TraceQuery query) {
    List<TraceSummary> found = new ArrayList<>();
    lock.lock();
    try {
      for (Map.Entry<String, StoredTrace> e : traces.entrySet()) {
        TraceSummary s = summary(e.getKey(), e.getValue());
        if (matches(s, query)) {
          found.add(s);
        }
      }
    } finally {
      lock.unlock();
    }
    found.sort(
        Comparator.comparing(TraceSummary::start).reversed().thenComparing(TraceSummary::traceId));
    return found.size() > query.limit() ? List.copyOf(found.subList(0, query.limit())) : found;
  }

  /** A trace with every span it has here, from every service. */
  public Optional<TraceDetail> trace(String traceId) {
    List<TraceSpan> spans;
    TraceSummary summary;
    lock.lock();
    try {
      StoredTrace trace = traces.get(traceId);
      if (trace == null) {
        return Optional.empty();
      }
      spans = new ArrayList<>(trace.spans.values());
      summary = summary(traceId, trace);
    } finally {
      lock.unlock();
    }
    spans.sort(Comparator.comparingLong(TraceSpan::startNanos).thenComparing(TraceSpan::spanId));
    return Optional.of(
        new TraceDetail(summary, spans, root(spans).spanId(), slowest(spans), failing(spans)));
  }

  private static boolean matches(TraceSummary s, TraceQuery q) {
    if (q.service().isPresent() && !s.services().contains(q.service().get())) {
      return false;
    }
    if (q.outcome() == TraceQuery.Outcome.ERROR && !s.error()
        || q.outcome() == TraceQuery.Outcome.OK && s.error()) {
      return false;
    }
    if (s.durationMs() < q.minDurationMs()) {
      return false;
    }
    if (q.from().isPresent() && s.start().isBefore(q.from().get())) {
      return false;
    }
    return q.to().isEmpty() || s.start().isBefore(q.to().get());
  }

  private static TraceSummary summary(String traceId, StoredTrace trace) {
    if (trace.summary == null) {
      List<TraceSpan> spans = List.copyOf(trace.spans.values());
      long start = Long.MAX_VALUE;
      long end = Long.MIN_VALUE;
      boolean error = false;
      TreeSet<String> services = new TreeSet<>();
      for (TraceSpan s : spans) {
        start = Math.min(start, s.startNanos());
        end = Math.max(end, s.endNanos());
        error |= s.failed();
        services.add(s.service());
      }
      TraceSpan root = root(spans);
      trace.summary =
          new TraceSummary(
              traceId,
              root.service(),
              root.name(),
              instant(start),
              (end - start) / 1e6,
              spans.size(),
              List.copyOf(services),
              error);
    }
    return trace.summary;
  }

  /** The earliest span whose parent is not in the trace (a root, or the top of what arrived). */
  private static TraceSpan root(List<TraceSpan> spans) {
    Map<String, TraceSpan> byId = new HashMap<>();
    spans.forEach(s -> byId.put(s.spanId(), s));
    TraceSpan root = null;
    for (TraceSpan s : spans) {
      boolean top = s.parentSpanId().isEmpty() || !byId.containsKey(s.parentSpanId());
      if (top && (root == null || s.startNanos() < root.startNanos())) {
        root = s;
      }
    }
    // A trace whose spans all name each other as parents (a cycle) has no top: take the first.
    return root != null ? root : spans.getFirst();
  }

  private static String slowest(List<TraceSpan> spans) {
    Map<String, Long> childTime = new HashMap<>();
    for (TraceSpan s : spans) {
      if (!s.parentSpanId().isEmpty()) {
        childTime.merge(s.parentSpanId(), s.durationNanos(), Long::sum);
      }
    }
    TraceSpan slowest = spans.getFirst();
    long most = Long.MIN_VALUE;
    for (TraceSpan s : spans) {
      long own = Math.max(0, s.durationNanos() - childTime.getOrDefault(s.spanId(), 0L));
      if (own > most) {
        most = own;
        slowest = s;
      }
    }
    return slowest.spanId();
  }

  private static Optional<String> failing(List<TraceSpan> spans) {
    java.util.Set<String> withFailedChild = new java.util.HashSet<>();
    for (TraceSpan s : spans) {
      if (s.failed() && !s.parentSpanId().isEmpty()) {
        withFailedChild.add(s.parentSpanId());
      }
    }
    // spans are in start order: the first failed span without a failed child is the earliest
    return spans.stream()
        .filter(s -> s.failed() && !withFailedChild.contains(s.spanId()))
        .map(TraceSpan::spanId)
        .findFirst();
  }

  static Instant instant(long epochNanos) {
    return Instant.ofEpochSecond(
        Math.floorDiv(epochNanos, 1_000_000_000L), Math.floorMod(epochNanos, 1_000_000_000L));
  }
}
