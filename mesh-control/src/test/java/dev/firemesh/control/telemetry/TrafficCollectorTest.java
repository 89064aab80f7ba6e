package dev.firemesh.control.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.sun.net.httpserver.HttpServer;
import dev.firemesh.control.scrape.SidecarScraper;
import dev.firemesh.store.Database;
import dev.firemesh.store.telemetry.EdgeRollup;
import dev.firemesh.store.telemetry.TelemetryRollups;
import dev.firemesh.xds.server.NodeStatus;
import dev.firemesh.xds.translate.NodeIdentity;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The collector's reading and arithmetic against loopback HTTP servers that serve what a sidecar's
 * admin port serves, in Micrometer's exposition format: increases, restarts, sidecars leaving, the
 * edge and node figures, and the rollups written to a real (embedded) PostgreSQL. Rounds are driven
 * by the test with a clock it sets, so no figure depends on timing.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TrafficCollectorTest {
  private static final Instant T0 = Instant.parse("2026-11-27T10:00:00Z");

  @TempDir Path dataDir;
  private final List<HttpServer> servers = new ArrayList<>();

  @AfterEach
  void stopServers() {
    servers.forEach(s -> s.stop(0));
  }

  /** A sidecar's admin port serving whatever text is set. */
  private NodeStatus sidecar(String node, AtomicReference<String> text) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 8);
    server.createContext(
        "/stats/prometheus",
        exchange -> {
          byte[] body = text.get().getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4");
          exchange.sendResponseHeaders(200, body.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
          }
        });
    server.start();
    servers.add(server);
    return new NodeStatus(
        node,
        T0,
        true,
        Map.of(),
        Map.of(NodeIdentity.ADMIN_ADDRESS_KEY, "127.0.0.1:" + server.getAddress().getPort()));
  }

  /** Micrometer's rendering of one series' counters: doubles for counts, its own bounds. */
  private static String series(
      String direction,
      String source,
      String destination,
      long ok,
      long http5xx,
      long grpcUnavailable,
      long underOneMs,
      long underTenMs) {
    String counted =
        "destination=\"%s\",direction=\"%s\",route=\"default\",source=\"%s\""
            .formatted(destination, direction, source);
    long total = ok + http5xx + grpcUnavailable;
    return """
        # HELP firemesh_requests_total \s
        # TYPE firemesh_requests_total counter
        firemesh_requests_total{%1$s,grpc_code="none",status_class="2xx"} %2$d.0
        firemesh_requests_total{%1$s,grpc_code="none",status_class="5xx"} %3$d.0
        firemesh_requests_total{%1$s,grpc_code="UNAVAILABLE",status_class="2xx"} %4$d.0
        # HELP firemesh_request_duration_seconds \s
        # TYPE firemesh_request_duration_seconds histogram
        firemesh_request_duration_seconds_bucket{%1$s,le="1.0E-4"} 0
        firemesh_request_duration_seconds_bucket{%1$s,le="0.001"} %5$d
        firemesh_request_duration_seconds_bucket{%1$s,le="0.01"} %6$d
        firemesh_request_duration_seconds_bucket{%1$s,le="+Inf"} %7$d
        firemesh_request_duration_seconds_count{%1$s} %7$d
        firemesh_request_duration_seconds_sum{%1$s} 0.5
        firemesh_request_bytes_total{%1$s} 12345.0
        firemesh_proxy_heap_used_bytes 1.0E7
        """
        .formatted(counted, ok, http5xx, grpcUnavailable, underOneMs, underTenMs, total);
  }

  /** A clock the test moves. */
  private static final class TestClock extends Clock {
    private volatile Instant now = T0;

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }
  }

  @Test
  void increasesBecomeEdgesNodesAndRollupsAcrossRestartsAndDepartures() throws Exception {
    AtomicReference<String> orders = new AtomicReference<>();
    AtomicReference<String> risk = new AtomicReference<>();
    List<NodeStatus> nodes =
        new CopyOnWriteArrayList<>(List.of(sidecar("orders-1", orders), sidecar("risk-1", risk)));
    TestClock clock = new TestClock();
    TelemetryMetrics metrics = new TelemetryMetrics();
    try (Database database = Database.embedded(dataDir)) {
      TelemetryRollups rollups = new TelemetryRollups(database, Duration.ofDays(14));
      TrafficCollector collector =
          new TrafficCollector(
              () -> nodes,
              new SidecarScraper(Duration.ofSeconds(1), Duration.ofSeconds(2)),
              () ->
                  new Inventory(
                      Map.of(
                          "orders", new Inventory.Count(2, 2),
                          "risk", new Inventory.Count(1, 1))),
              Optional.of(rollups),
              "replica-a",
              metrics,
              clock);

      // t=0: the baselines
      orders.set(series("outbound", "orders", "risk", 90, 10, 0, 60, 90));
      risk.set(
          series("inbound", "orders", "risk", 92, 8, 0, 60, 90)
              + series("inbound", "unknown", "risk", 20, 0, 0, 0, 20));
      collector.collect();
      assertThat(collector.view().history().lastScrape()).isEmpty();

      // t=5: 100 calls orders->risk (10 failed, 60 under 1 ms); 25 from a caller without a
      // sidecar, 5 of them failing with gRPC UNAVAILABLE
      clock.now = T0.plusSeconds(5);
      orders.set(series("outbound", "orders", "risk", 180, 20, 0, 120, 180));
      risk.set(
          series("inbound", "orders", "risk", 184, 16, 0, 120, 180)
              + series("inbound", "unknown", "risk", 40, 0, 5, 0, 45));
      collector.collect();

      TrafficCollector.View view = collector.view();
      ServiceGraph graph =
          view.history().graph(GraphWindow.TEN_SECONDS, view.inventory(), clock.now);
      ServiceGraph.Edge ordersRisk = edge(graph, "orders", "risk");
      assertThat(ordersRisk.rps()).isCloseTo(20.0, within(1e-9));
      assertThat(ordersRisk.errorRate()).isCloseTo(0.1, within(1e-9));
      // rank 50 of the 60 calls in (0.1 ms, 1 ms]
      assertThat(ordersRisk.p50Ms()).isCloseTo(0.1 + 0.9 * 50 / 60, within(1e-9));
      ServiceGraph.Edge unknownRisk = edge(graph, "unknown", "risk");
      assertThat(unknownRisk.rps()).isCloseTo(5.0, within(1e-9));
      assertThat(unknownRisk.errorRate()).isCloseTo(0.2, within(1e-9));
      ServiceGraph.Node riskNode = node(graph, "risk");
      assertThat(riskNode.rps()).isCloseTo(25.0, within(1e-9)); // (100 + 25) / 5 s
      assertThat(riskNode.errorRate()).isCloseTo(13.0 / 125, within(1e-9));
      assertThat(node(graph, "orders").instances()).isEqualTo(2);

      // t=10: orders' sidecar restarted (its counters start again); 30 more calls
      clock.now = T0.plusSeconds(10);
      orders.set(series("outbound", "orders", "risk", 30, 0, 0, 30, 30));
      risk.set(
          series("inbound", "orders", "risk", 214, 16, 0, 150, 210)
              + series("inbound", "unknown", "risk", 40, 0, 5, 0, 45));
      collector.collect();
      assertThat(
              edge(
                      collector
                          .view()
                          .history()
                          .graph(GraphWindow.TEN_SECONDS, Inventory.NONE, clock.now),
                      "orders",
                      "risk")
                  .rps())
          .isCloseTo((100 + 30) / 10.0, within(1e-9));

      // t=15: risk's sidecar stops answering; t=25: it has disconnected
      servers.get(1).stop(0);
      clock.now = T0.plusSeconds(15);
      orders.set(series("outbound", "orders", "risk", 60, 0, 0, 60, 60));
      collector.collect();
      nodes.remove(1);
      clock.now = T0.plusSeconds(25);
      orders.set(series("outbound", "orders", "risk", 90, 0, 0, 90, 90));
      collector.collect();

      assertThat(metrics.scrapeFailures()).isEqualTo(1);
      // Buckets [0, 10) and [10, 20) are closed; each scrape counts in its interval's middle.
      List<EdgeRollup> rows = rollups.read(T0, T0.plusSeconds(30));
      assertThat(rows)
          .extracting(
              EdgeRollup::bucketStart, EdgeRollup::source, EdgeRollup::requests, EdgeRollup::errors)
          .containsExactly(
              org.assertj.core.groups.Tuple.tuple(T0, "orders", 130L, 10L),
              org.assertj.core.groups.Tuple.tuple(T0, "unknown", 25L, 5L),
              org.assertj.core.groups.Tuple.tuple(T0.plusSeconds(10), "orders", 30L, 0L));
      assertThat(rows).allSatisfy(r -> assertThat(r.replica()).isEqualTo("replica-a"));
      EdgeRollup first = rows.getFirst();
      assertThat(first.bucketBounds())
          .containsExactly(0.0001, 0.001, 0.01, Double.POSITIVE_INFINITY);
      assertThat(first.bucketCounts()).containsExactly(0, 90, 120, 130);
      assertThat(first.p50Ms()).isCloseTo(0.1 + 0.9 * 65 / 90, within(1e-9));
      assertThat(metrics.rollupsWritten()).isEqualTo(3);
      // the day's partitions were made ahead
      assertThat(rollups.partitionDays()).hasSizeGreaterThanOrEqualTo(3);
    }
  }

  private static ServiceGraph.Edge edge(ServiceGraph graph, String source, String destination) {
    return graph.edges().stream()
        .filter(e -> e.source().equals(source) && e.destination().equals(destination))
        .findFirst()
        .orElseThrow(
            () -> new AssertionError("no edge " + source + "->" + destination + " in " + graph));
  }

  private static ServiceGraph.Node node(ServiceGraph graph, String service) {
    return graph.nodes().stream()
        .filter(n -> n.service().equals(service))
        .findFirst()
        .orElseThrow();
  }
}
