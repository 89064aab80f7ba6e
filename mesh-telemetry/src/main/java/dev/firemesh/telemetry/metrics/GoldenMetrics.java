package dev.firemesh.telemetry.metrics;

import dev.firemesh.telemetry.trace.Direction;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;

/**
 * The golden signals of every edge a sidecar or a chassis service sees, in a Micrometer {@link
 * PrometheusMeterRegistry} of its own (docs/reference/metrics.md):
 *
 * <ul>
 *   <li>{@code firemesh_requests_total{direction, source, destination, route, status_class,
 *       grpc_code}}
 *   <li>{@code firemesh_request_duration_seconds{direction, source, destination, route}}, a
 *       histogram with fixed buckets from 0.1 ms to 10 s
 *   <li>{@code firemesh_request_bytes_total} and {@code firemesh_response_bytes_total}, labelled as
 *       the histogram
 * </ul>
 *
 * <p>Recording is on the event loops and allocates nothing in steady state: meters are looked up in
 * the registry once per label set and kept in nested maps keyed by the record's own strings, so a
 * request costs a few map reads and the meters' lock-free updates.
 *
 * <p>Label sets are capped ({@value #DEFAULT_MAX_LABEL_SETS} by default): an edge ({@code
 * direction, source, destination, route}) takes one for its histogram and byte counters, and one
 * more for each status class and gRPC code seen on it (its request counters). Past the cap, a new
 * edge's requests are counted under {@code source}, {@code destination} and {@code route} {@value
 * #OTHER} of their direction, a new status class or code of a known edge under that same {@value
 * #OTHER} edge, and {@link #folded()} counts such requests. Measured: an edge costs 1 to 4 KiB of
 * heap and its exposition about as much, so the default cap keeps both to a few MiB in a sidecar's
 * 32 MiB heap.
 */
public final class GoldenMetrics {

  /** Label sets kept per sidecar by default: far above what a service sees, far below a flood. */
  public static final int DEFAULT_MAX_LABEL_SETS = 2_000;

  /** The label value of edges folded past the cap. */
  public static final String OTHER = "other";

  /** The histogram's buckets, as docs/architecture.md fixes them for the control plane. */
  static final Duration[] BUCKETS = {
    Duration.ofNanos(100_000),
    Duration.ofNanos(250_000),
    Duration.ofNanos(500_000),
    Duration.ofMillis(1),
    Duration.ofNanos(2_500_000),
    Duration.ofMillis(5),
    Duration.ofMillis(10),
    Duration.ofMillis(25),
    Duration.ofMillis(50),
    Duration.ofMillis(100),
    Duration.ofMillis(250),
    Duration.ofMillis(500),
    Duration.ofSeconds(1),
    Duration.ofMillis(2_500),
    Duration.ofSeconds(5),
    Duration.ofSeconds(10)
  };

  /** The histogram's upper bounds, smallest first. */
  public static java.util.List<Duration> buckets() {
    return java.util.List.of(BUCKETS);
  }

  private final PrometheusMeterRegistry registry;
  private final int maxLabelSets;
  private final AtomicInteger labelSets = new AtomicInteger();
  private final AtomicInteger edgeCount = new AtomicInteger();
  private final LongAdder folded = new LongAdder();

  /** Per direction: source, then destination, then route. */
  @SuppressWarnings("unchecked")
  private final ConcurrentHashMap<
          String, ConcurrentHashMap<String, ConcurrentHashMap<String, Edge>>>[]
      edges = new ConcurrentHashMap[Direction.values().length];

  private final Edge[] other = new Edge[Direction.values().length];

  public GoldenMetrics() {
    this(DEFAULT_MAX_LABEL_SETS);
  }

  /**
   * @param maxLabelSets label sets kept: one per edge, one per status class and gRPC code seen on
   *     an edge; more fold into {@value #OTHER}
   */
  public GoldenMetrics(int maxLabelSets) {
    if (maxLabelSets < 1) {
      throw new IllegalArgumentException("maxLabelSets must be at least 1: " + maxLabelSets);
    }
    this.maxLabelSets = maxLabelSets;
    this.registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    for (Direction direction : Direction.values()) {
      edges[direction.ordinal()] = new ConcurrentHashMap<>();
    }
  }

  /**
   * Counts one request on its edge.
   *
   * @param status the HTTP status, or 0 when no response was sent
   * @param grpcStatus the gRPC status, or a negative number when the request was not gRPC
   */
  public void record(
      Direction direction,
      String source,
      String destination,
      String route,
      int status,
      int grpcStatus,
      long totalMicros,
      long requestBytes,
      long responseBytes) {
    edge(direction, source, destination, route)
        .record(status, grpcStatus, totalMicros, requestBytes, responseBytes);
  }

  /** The metrics in Prometheus text format 0.0.4, for appending to the sidecar's exposition. */
  public String exposition() {
    return registry.scrape();
  }

  /** Requests counted under {@value #OTHER} because the cap on label sets was reached. */
  public long folded() {
    return folded.sum();
  }

  /** Distinct edges with meters of their own (the {@value #OTHER} ones included). */
  public int edges() {
    return edgeCount.get();
  }

  private Edge edge(Direction direction, String source, String destination, String route) {
    var bySource = edges[direction.ordinal()];
    var byDestination = bySource.get(source);
    if (byDestination != null) {
      var byRoute = byDestination.get(destination);
      if (byRoute != null) {
        Edge edge = byRoute.get(route);
        if (edge != null) {
          return edge;
        }
      }
    }
    return newEdge(direction, source, destination, route);
  }

  /** Off the hot path: the first request of an edge, or one past the cap. */
  private Edge newEdge(Direction direction, String source, String destination, String route) {
    var byRoute =
        edges[direction.ordinal()]
            .computeIfAbsent(source, s -> new ConcurrentHashMap<>())
            .computeIfAbsent(destination, d -> new ConcurrentHashMap<>());
    synchronized (byRoute) {
      Edge edge = byRoute.get(route);
      if (edge != null) {
        return edge;
      }
      if (!takeLabelSet()) {
        folded.increment();
        return other(direction);
      }
      edge = new Edge(direction, source, destination, route, false);
      byRoute.put(route, edge);
      edgeCount.incrementAndGet();
      return edge;
    }
  }

  /** Takes a label set from the budget; false once it is spent. */
  private boolean takeLabelSet() {
    while (true) {
      int taken = labelSets.get();
      if (taken >= maxLabelSets) {
        return false;
      }
      if (labelSets.compareAndSet(taken, taken + 1)) {
        return true;
      }
    }
  }

  /** The {@value #OTHER} edge of a direction: outside the budget, bounded by the fixed labels. */
  private synchronized Edge other(Direction direction) {
    Edge edge = other[direction.ordinal()];
    if (edge == null) {
      edge = new Edge(direction, OTHER, OTHER, OTHER, true);
      other[direction.ordinal()] = edge;
      edgeCount.incrementAndGet();
    }
    return edge;
  }

  /**
   * One edge's meters; its request counters by status class and gRPC code, made when first used.
   */
  private final class Edge {
    private final Direction direction;
    private final boolean folding;
    private final Tags tags;
    private final Timer duration;
    private final Counter requestBytes;
    private final Counter responseBytes;
    private final AtomicReferenceArray<Counter> requests =
        new AtomicReferenceArray<>(StatusClasses.count() * GrpcCodeLabels.count());

    /**
     * @param folding this is an {@value #OTHER} edge, whose label sets are outside the budget
     */
    Edge(Direction direction, String source, String destination, String route, boolean folding) {
      this.direction = direction;
      this.folding = folding;
      this.tags =
          Tags.of(
              "direction", direction.label(),
              "source", source,
              "destination", destination,
              "route", route);
      this.duration =
          Timer.builder("firemesh.request.duration")
              .description("Time from a request's start to its response's end, per edge.")
              .tags(tags)
              .serviceLevelObjectives(BUCKETS)
              .publishPercentileHistogram(false)
              .register(registry);
      this.requestBytes =
          Counter.builder("firemesh.request.bytes")
              .description("Request body bytes received from callers, per edge.")
              .tags(tags)
              .register(registry);
      this.responseBytes =
          Counter.builder("firemesh.response.bytes")
              .description("Response body bytes sent to callers, per edge.")
              .tags(tags)
              .register(registry);
    }

    void record(
        int status,
        int grpcStatus,
        long totalMicros,
        long requestBytesSeen,
        long responseBytesSeen) {
      int statusClass = StatusClasses.index(status);
      int grpc = GrpcCodeLabels.index(grpcStatus);
      int slot = statusClass * GrpcCodeLabels.count() + grpc;
      Counter counter = requests.get(slot);
      if (counter == null) {
        counter = requestCounter(slot, statusClass, grpc);
      }
      counter.increment();
      duration.record(totalMicros, TimeUnit.MICROSECONDS);
      if (requestBytesSeen > 0) {
        requestBytes.increment(requestBytesSeen);
      }
      if (responseBytesSeen > 0) {
        responseBytes.increment(responseBytesSeen);
      }
    }

    /**
     * Off the hot path: the counter of a status class and code not seen on this edge yet, made if
     * the budget allows, else the {@value #OTHER} edge's.
     */
    private Counter requestCounter(int slot, int statusClass, int grpc) {
      synchronized (this) {
        Counter counter = requests.get(slot);
        if (counter != null) {
          return counter;
        }
        if (folding || takeLabelSet()) {
          counter =
              Counter.builder("firemesh.requests")
                  .description(
                      "Requests by edge, status class (none: no response) and gRPC code (none:"
                          + " not gRPC).")
                  .tags(tags)
                  .tag("status_class", StatusClasses.labelOf(statusClass))
                  .tag("grpc_code", GrpcCodeLabels.labelOf(grpc))
                  .register(registry);
          requests.set(slot, counter);
          return counter;
        }
      }
      folded.increment();
      Edge fold = other(direction);
      Counter counter = fold.requests.get(slot);
      return counter != null ? counter : fold.requestCounter(slot, statusClass, grpc);
    }
  }
}
