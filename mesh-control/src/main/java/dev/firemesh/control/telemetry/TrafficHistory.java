package dev.firemesh.control.telemetry;

import dev.firemesh.control.telemetry.SeriesKey.Direction;
import dev.firemesh.control.telemetry.SeriesKey.Edge;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The last five minutes of traffic as the collector saw it: every scrape's increases ({@link
 * Tick}), and the same summed into 10-second buckets aligned to the epoch. Immutable: the collector
 * makes a new one per scrape and publishes it; readers compute graphs and series from the one they
 * hold, never waiting on the collector.
 *
 * <p>Which side's figures an edge takes: the caller's sidecar counts a call whatever the answer
 * (its outbound series), so where it exists it is the edge's figure. Calls from callers without a
 * sidecar (source {@code unknown}, or a verified caller that exposes no figures, such as a
 * proxyless client) are known only to the callee's sidecar, so their edges take its inbound
 * figures. A service's own figures are what its sidecars answered (inbound), or, for a service
 * without a sidecar, what its callers' sidecars sent it.
 */
public final class TrafficHistory {
  public static final Duration BUCKET = Duration.ofSeconds(10);
  static final Duration KEPT = GraphWindow.FIVE_MINUTES.length();

  /** Points in a service's series: five minutes of 10-second buckets. */
  static final int SERIES_POINTS = (int) (KEPT.toSeconds() / BUCKET.toSeconds());

  /** The increases one scrape found since the previous one, summed over the sidecars. */
  public record Tick(Instant from, Instant to, Map<SeriesKey, Figures> increases) {
    public Tick {
      Objects.requireNonNull(from, "from");
      Objects.requireNonNull(to, "to");
      increases = Map.copyOf(increases);
    }
  }

  /**
   * A service's golden signals at 10-second steps, oldest first; NaN where no scrape covered a
   * bucket (and for latencies, where there were no calls).
   *
   * @param t each bucket's start
   */
  public record Series(
      List<Instant> t, double[] rps, double[] errorRate, double[] p50Ms, double[] p99Ms) {}

  public static final TrafficHistory EMPTY = new TrafficHistory(List.of(), new TreeMap<>());

  private final List<Tick> ticks; // oldest first
  private final NavigableMap<Instant, Map<SeriesKey, Figures>> buckets; // by bucket start

  private TrafficHistory(List<Tick> ticks, NavigableMap<Instant, Map<SeriesKey, Figures>> buckets) {
    this.ticks = ticks;
    this.buckets = buckets;
  }

  /** This history with one more scrape; what falls out of five minutes is dropped. */
  public TrafficHistory with(Tick tick) {
    Instant keepAfter = tick.to().minus(KEPT);
    List<Tick> kept = new ArrayList<>(ticks.size() + 1);
    for (Tick t : ticks) {
      if (t.to().isAfter(keepAfter)) {
        kept.add(t);
      }
    }
    kept.add(tick);
    NavigableMap<Instant, Map<SeriesKey, Figures>> b =
        new TreeMap<>(buckets.tailMap(bucketStart(keepAfter).minus(BUCKET), true));
    // A scrape's increases go to the bucket of its interval's middle: with scrapes every 5 s at
    // any phase, each 10 s bucket gets about two.
    Instant middle = tick.from().plus(Duration.between(tick.from(), tick.to()).dividedBy(2));
    Map<SeriesKey, Figures> bucket = new HashMap<>(b.getOrDefault(bucketStart(middle), Map.of()));
    tick.increases().forEach((key, figures) -> bucket.merge(key, figures, Figures::plus));
    b.put(bucketStart(middle), Collections.unmodifiableMap(bucket));
    return new TrafficHistory(List.copyOf(kept), Collections.unmodifiableNavigableMap(b));
  }

  /** When the last scrape was, if any was. */
  public Optional<Instant> lastScrape() {
    return ticks.isEmpty() ? Optional.empty() : Optional.of(ticks.getLast().to());
  }

  /** The start of the 10-second bucket {@code at} falls in. */
  public static Instant bucketStart(Instant at) {
    long seconds = BUCKET.toSeconds();
    return Instant.ofEpochSecond(Math.floorDiv(at.getEpochSecond(), seconds) * seconds);
  }

  /**
   * The graph over {@code window}, ending at the last scrape (at {@code now} before any).
   *
   * @param inventory the known services, shown even without traffic
   */
  public ServiceGraph graph(GraphWindow window, Inventory inventory, Instant now) {
    Instant at = lastScrape().orElse(now);
    Instant start = at.minus(window.length());
    Map<SeriesKey, Figures> sums = new HashMap<>();
    Instant covered = at;
    for (Tick t : ticks) {
      if (t.to().isAfter(start)) {
        t.increases().forEach((key, figures) -> sums.merge(key, figures, Figures::plus));
        if (t.from().isBefore(covered)) {
          covered = t.from();
        }
      }
    }
    double seconds =
        Duration.between(covered.isBefore(start) ? start : covered, at).toMillis() / 1000.0;
    Map<Edge, Figures> edges = edges(sums);
    TreeSet<String> services = new TreeSet<>(inventory.services().keySet());
    edges.keySet().forEach(e -> services.addAll(List.of(e.source(), e.destination())));
    List<ServiceGraph.Node> nodes = new ArrayList<>();
    for (String service : services) {
      Figures f = served(service, sums, edges);
      Inventory.Count count = inventory.count(service);
      nodes.add(
          new ServiceGraph.Node(
              service,
              count.instances(),
              count.healthy(),
              rate(f.requests(), seconds),
              errorRate(f),
              millis(f.latency().quantile(0.5)),
              millis(f.latency().quantile(0.99))));
    }
    List<ServiceGraph.Edge> edgeList = new ArrayList<>();
    edges.entrySet().stream()
        .sorted(
            Map.Entry.comparingByKey(
                Comparator.comparing(Edge::source).thenComparing(Edge::destination)))
        .forEach(
            e ->
                edgeList.add(
                    new ServiceGraph.Edge(
                        e.getKey().source(),
                        e.getKey().destination(),
                        rate(e.getValue().requests(), seconds),
                        errorRate(e.getValue()),
                        millis(e.getValue().latency().quantile(0.5)),
                        millis(e.getValue().latency().quantile(0.99)))));
    return new ServiceGraph(window, at, nodes, edgeList);
  }

  /**
   * {@code service}'s signals over the last five minutes of closed buckets (a bucket is closed once
   * a scrape landed in a later one), ending before the bucket of the last scrape.
   */
  public Series series(String service, Instant now) {
    Instant last = bucketStart(lastScrape().orElse(now)).minus(BUCKET);
    List<Instant> t = new ArrayList<>(SERIES_POINTS);
    double[] rps = new double[SERIES_POINTS];
    double[] errorRate = new double[SERIES_POINTS];
    double[] p50 = new double[SERIES_POINTS];
    double[] p99 = new double[SERIES_POINTS];
    for (int i = 0; i < SERIES_POINTS; i++) {
      Instant bucket = last.minus(BUCKET.multipliedBy(SERIES_POINTS - 1 - i));
      t.add(bucket);
      Map<SeriesKey, Figures> sums = buckets.get(bucket);
      if (sums == null) {
        rps[i] = errorRate[i] = p50[i] = p99[i] = Double.NaN;
        continue;
      }
      Figures f = served(service, sums, edges(sums));
      rps[i] = rate(f.requests(), BUCKET.toSeconds());
      errorRate[i] = errorRate(f);
      p50[i] = millis(f.latency().quantile(0.5));
      p99[i] = millis(f.latency().quantile(0.99));
    }
    return new Series(List.copyOf(t), rps, errorRate, p50, p99);
  }

  /**
   * The buckets before the last scrape's, which no later scrape can add to (a later scrape's
   * interval starts at the last scrape), oldest first, after {@code after}.
   */
  public NavigableMap<Instant, Map<Edge, Figures>> closedBuckets(Instant after) {
    NavigableMap<Instant, Map<Edge, Figures>> closed = new TreeMap<>();
    lastScrape()
        .ifPresent(
            last ->
                buckets
                    .subMap(after, false, bucketStart(last), false)
                    .forEach((start, sums) -> closed.put(start, edges(sums))));
    return closed;
  }

  /** Per edge, the caller's figures where its sidecar counted, else the callee's. */
  static Map<Edge, Figures> edges(Map<SeriesKey, Figures> sums) {
    Map<Edge, Figures> edges = new HashMap<>();
    sums.forEach(
        (key, figures) -> {
          if (key.direction() == Direction.OUTBOUND) {
            edges.merge(key.edge(), figures, Figures::plus);
          }
        });
    Map<Edge, Figures> inboundOnly = new HashMap<>();
    sums.forEach(
        (key, figures) -> {
          if (key.direction() == Direction.INBOUND && !edges.containsKey(key.edge())) {
            inboundOnly.merge(key.edge(), figures, Figures::plus);
          }
        });
    edges.putAll(inboundOnly);
    return edges;
  }

  /** What {@code service} answered: its sidecars' inbound figures, else its callers' outbound. */
  static Figures served(String service, Map<SeriesKey, Figures> sums, Map<Edge, Figures> edges) {
    Figures inbound = null;
    for (Map.Entry<SeriesKey, Figures> e : sums.entrySet()) {
      if (e.getKey().direction() == Direction.INBOUND && e.getKey().destination().equals(service)) {
        inbound = inbound == null ? e.getValue() : inbound.plus(e.getValue());
      }
    }
    if (inbound != null) {
      return inbound;
    }
    Figures sent = Figures.NONE;
    for (Map.Entry<Edge, Figures> e : edges.entrySet()) {
      if (e.getKey().destination().equals(service)) {
        sent = sent.plus(e.getValue());
      }
    }
    return sent;
  }

  private static double rate(long count, double seconds) {
    return seconds <= 0 ? 0 : count / seconds;
  }

  private static double errorRate(Figures f) {
    return f.requests() == 0 ? 0 : f.errorRate();
  }

  private static double millis(double seconds) {
    return seconds * 1000;
  }
}
