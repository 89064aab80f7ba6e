package dev.firemesh.control.telemetry;

import dev.firemesh.control.scrape.SidecarScraper;
import dev.firemesh.control.telemetry.SeriesKey.Edge;
import dev.firemesh.store.telemetry.EdgeRollup;
import dev.firemesh.store.telemetry.TelemetryRollups;
import dev.firemesh.xds.server.NodeStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scrapes every connected sidecar's golden metrics at a fixed interval, turns them into increases
 * ({@link SidecarBaselines}), keeps five minutes of them ({@link TrafficHistory}) for the service
 * graph, and writes each closed 10-second bucket's edges to PostgreSQL. One virtual thread owns all
 * of it; readers get the latest {@link View}, published through a volatile reference.
 *
 * <p>A failure of one round (a sidecar that does not answer, the database away) costs that round's
 * figures, logged and counted, never the loop.
 */
public final class TrafficCollector implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(TrafficCollector.class);

  /** How often the rollups' partitions are checked (made ahead, dropped past retention). */
  static final Duration MAINTENANCE_INTERVAL = Duration.ofHours(1);

  /** What readers see: the traffic of the last five minutes and the services known. */
  public record View(TrafficHistory history, Inventory inventory) {
    public View {
      Objects.requireNonNull(history, "history");
      Objects.requireNonNull(inventory, "inventory");
    }
  }

  private final Supplier<List<NodeStatus>> nodes;
  private final SidecarScraper scraper;
  private final Supplier<Inventory> inventory;
  private final Optional<TelemetryRollups> rollups;
  private final String replica;
  private final TelemetryMetrics metrics;
  private final Clock clock;
  private final SidecarBaselines baselines = new SidecarBaselines();
  private final CountDownLatch stopped = new CountDownLatch(1);
  private volatile View view = new View(TrafficHistory.EMPTY, Inventory.NONE);
  private Thread thread;
  // Owned by the collecting thread:
  private Instant lastScrape;
  private Instant lastWrittenBucket = Instant.EPOCH;
  private Instant lastMaintenance;

  /**
   * @param nodes the xDS nodes of this replica; their sidecars are scraped
   * @param inventory the services the mesh knows, read once per round
   * @param rollups where closed buckets go; empty: kept in memory only
   * @param replica this replica's name in the rollups
   */
  public TrafficCollector(
      Supplier<List<NodeStatus>> nodes,
      SidecarScraper scraper,
      Supplier<Inventory> inventory,
      Optional<TelemetryRollups> rollups,
      String replica,
      TelemetryMetrics metrics,
      Clock clock) {
    this.nodes = nodes;
    this.scraper = scraper;
    this.inventory = inventory;
    this.rollups = rollups;
    this.replica = replica;
    this.metrics = metrics;
    this.clock = clock;
  }

  /** Starts collecting every {@code interval} on a virtual thread of its own. */
  public TrafficCollector start(Duration interval) {
    thread =
        Thread.ofVirtual()
            .name("telemetry-collector")
            .start(
                () -> {
                  try {
                    do {
                      collect();
                    } while (!stopped.await(interval.toNanos(), TimeUnit.NANOSECONDS));
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                });
    return this;
  }

  /** The latest traffic and services. */
  public View view() {
    return view;
  }

  /**
   * One round: scrape, take increases, publish, write closed buckets. Called by the collector's
   * thread, or by a test that drives rounds itself (never both).
   */
  public void collect() {
    Instant now = clock.instant();
    try {
      SidecarScraper.Scrape scrape = scraper.scrape(nodes.get(), GoldenMetrics.PREFIX);
      metrics.scraped(scrape.asked(), scrape.failed());
      Map<String, Map<SeriesKey, Figures>> tables = new HashMap<>();
      scrape.sidecars().forEach((node, parsed) -> tables.put(node, GoldenMetrics.read(parsed)));
      Map<SeriesKey, Figures> increases = baselines.advance(tables);
      TrafficHistory history = view.history();
      if (lastScrape != null && now.isAfter(lastScrape)) {
        history = history.with(new TrafficHistory.Tick(lastScrape, now, increases));
      }
      lastScrape = now;
      view = new View(history, inventory());
      writeRollups(history, now);
    } catch (RuntimeException e) {
      log.warn("telemetry round failed: {}", e.toString(), e);
    }
  }

  private Inventory inventory() {
    try {
      return inventory.get();
    } catch (RuntimeException e) {
      log.warn("telemetry: services not read, keeping the last known: {}", e.toString());
      return view.inventory();
    }
  }

  private void writeRollups(TrafficHistory history, Instant now) {
    if (rollups.isEmpty()) {
      return;
    }
    TelemetryRollups store = rollups.get();
    try {
      if (lastMaintenance == null
          || Duration.between(lastMaintenance, now).compareTo(MAINTENANCE_INTERVAL) >= 0) {
        lastMaintenance = now;
        TelemetryRollups.Maintenance done = store.maintain(now);
        if (!done.dropped().isEmpty()) {
          log.info("telemetry rollups past retention dropped: {}", done.dropped());
        }
      }
      List<EdgeRollup> rows = new ArrayList<>();
      Instant newest = lastWrittenBucket;
      for (Map.Entry<Instant, Map<Edge, Figures>> bucket :
          history.closedBuckets(lastWrittenBucket).entrySet()) {
        newest = bucket.getKey();
        bucket.getValue().forEach((edge, f) -> rows.add(row(bucket.getKey(), edge, f)));
      }
      lastWrittenBucket = newest; // a failed write is not retried: the next buckets matter more
      store.write(rows);
      metrics.rollupsWritten(rows.size());
    } catch (RuntimeException e) {
      metrics.rollupFailed();
      log.warn("telemetry rollups not written: {}", e.toString());
    }
  }

  private EdgeRollup row(Instant bucket, Edge edge, Figures f) {
    LatencyHistogram h = f.latency();
    return new EdgeRollup(
        bucket,
        replica,
        edge.source(),
        edge.destination(),
        f.requests(),
        Math.min(f.errors(), f.requests()),
        h.bounds(),
        h.cumulative(),
        h.quantile(0.5) * 1000,
        h.quantile(0.99) * 1000);
  }

  @Override
  public void close() {
    stopped.countDown();
    if (thread != null) {
      try {
        thread.join(Duration.ofSeconds(10));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
