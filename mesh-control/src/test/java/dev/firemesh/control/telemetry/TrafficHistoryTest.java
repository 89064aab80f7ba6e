package dev.firemesh.control.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.firemesh.control.telemetry.SeriesKey.Direction;
import dev.firemesh.control.telemetry.SeriesKey.Edge;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Windows, which side an edge's figures come from, nodes without traffic, and 10 s buckets. */
class TrafficHistoryTest {
  private static final Instant T0 = Instant.parse("2026-11-27T10:00:00Z");
  private static final double[] BOUNDS = {0.001, 0.01, Double.POSITIVE_INFINITY};
  private static final Inventory SERVICES =
      new Inventory(
          Map.of(
              "orders", new Inventory.Count(2, 2),
              "risk", new Inventory.Count(3, 2),
              "reference-data", new Inventory.Count(1, 1)));

  private static SeriesKey out(String from, String to) {
    return new SeriesKey(Direction.OUTBOUND, from, to);
  }

  private static SeriesKey in(String from, String to) {
    return new SeriesKey(Direction.INBOUND, from, to);
  }

  /** {@code fast} calls up to 1 ms, the rest up to 10 ms. */
  private static Figures f(long requests, long errors, long fast) {
    return new Figures(
        requests, errors, LatencyHistogram.of(BOUNDS, new long[] {fast, requests, requests}));
  }

  private static TrafficHistory.Tick tick(int fromSecond, int toSecond, Map<SeriesKey, Figures> f) {
    return new TrafficHistory.Tick(T0.plusSeconds(fromSecond), T0.plusSeconds(toSecond), f);
  }

  @Test
  void anEdgeTakesTheCallersFiguresAndTheCalleeAnswersForItself() {
    TrafficHistory history =
        TrafficHistory.EMPTY.with(
            tick(
                0,
                5,
                Map.of(
                    out("orders", "risk"), f(100, 5, 100),
                    // the same calls as risk's sidecar saw them: not added again
                    in("orders", "risk"), f(98, 3, 98),
                    // a caller without a sidecar: only the callee knows
                    in("unknown", "risk"), f(50, 0, 0))));

    ServiceGraph graph = history.graph(GraphWindow.TEN_SECONDS, SERVICES, T0);

    assertThat(graph.at()).isEqualTo(T0.plusSeconds(5));
    assertThat(graph.edges())
        .extracting(ServiceGraph.Edge::source, ServiceGraph.Edge::destination)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("orders", "risk"),
            org.assertj.core.groups.Tuple.tuple("unknown", "risk"));
    ServiceGraph.Edge ordersRisk = graph.edges().getFirst();
    assertThat(ordersRisk.rps()).isCloseTo(20.0, within(1e-9)); // 100 calls in 5 s covered
    assertThat(ordersRisk.errorRate()).isCloseTo(0.05, within(1e-9));
    assertThat(ordersRisk.p50Ms()).isCloseTo(0.5, within(1e-9));
    ServiceGraph.Edge unknownRisk = graph.edges().get(1);
    assertThat(unknownRisk.rps()).isCloseTo(10.0, within(1e-9));
    assertThat(unknownRisk.p50Ms()).isCloseTo(5.5, within(1e-9)); // rank 25 of 50 in (1, 10] ms

    ServiceGraph.Node risk = node(graph, "risk");
    assertThat(risk.instances()).isEqualTo(3);
    assertThat(risk.healthy()).isEqualTo(2);
    assertThat(risk.rps()).isCloseTo((98 + 50) / 5.0, within(1e-9)); // what risk answered
    assertThat(risk.errorRate()).isCloseTo(3 / 148.0, within(1e-9));
    // known services without traffic are nodes too; so is the sidecar-less caller
    ServiceGraph.Node refdata = node(graph, "reference-data");
    assertThat(refdata.rps()).isZero();
    assertThat(refdata.errorRate()).isZero();
    assertThat(refdata.p99Ms()).isNaN();
    assertThat(node(graph, "unknown").instances()).isZero();
  }

  @Test
  void aServiceWithoutASidecarIsSeenThroughItsCallers() {
    TrafficHistory history =
        TrafficHistory.EMPTY.with(tick(0, 5, Map.of(out("orders", "exchange-gw"), f(10, 1, 10))));

    ServiceGraph.Node gateway =
        node(history.graph(GraphWindow.TEN_SECONDS, Inventory.NONE, T0), "exchange-gw");

    assertThat(gateway.rps()).isCloseTo(2.0, within(1e-9));
    assertThat(gateway.errorRate()).isCloseTo(0.1, within(1e-9));
  }

  @Test
  void eachWindowCoversItsOwnLengthOfScrapes() {
    TrafficHistory history = TrafficHistory.EMPTY;
    // one scrape every 5 s for two minutes, 10 calls each (2/s); the last 10 s at 100 per scrape
    for (int s = 5; s <= 120; s += 5) {
      long calls = s > 110 ? 100 : 10;
      history = history.with(tick(s - 5, s, Map.of(out("orders", "risk"), f(calls, 0, calls))));
    }

    double tenSeconds = edge(history.graph(GraphWindow.TEN_SECONDS, SERVICES, T0)).rps();
    double oneMinute = edge(history.graph(GraphWindow.ONE_MINUTE, SERVICES, T0)).rps();
    double fiveMinutes = edge(history.graph(GraphWindow.FIVE_MINUTES, SERVICES, T0)).rps();

    assertThat(tenSeconds).isCloseTo(20.0, within(1e-9));
    assertThat(oneMinute).isCloseTo((10 * 10 + 2 * 100) / 60.0, within(1e-9));
    // five minutes asked, two covered: the rate is over what was seen, not diluted
    assertThat(fiveMinutes).isCloseTo((22 * 10 + 2 * 100) / 120.0, within(1e-9));
  }

  @Test
  void ticksOlderThanFiveMinutesAreDropped() {
    TrafficHistory history = TrafficHistory.EMPTY;
    for (int s = 5; s <= 600; s += 5) {
      long calls = s <= 300 ? 1000 : 5;
      history = history.with(tick(s - 5, s, Map.of(out("orders", "risk"), f(calls, 0, calls))));
    }

    assertThat(edge(history.graph(GraphWindow.FIVE_MINUTES, SERVICES, T0)).rps())
        .isCloseTo(1.0, within(1e-9));
  }

  @Test
  void seriesAndRollupsUseClosedTenSecondBuckets() {
    TrafficHistory history = TrafficHistory.EMPTY;
    history = history.with(tick(0, 5, Map.of(in("orders", "risk"), f(10, 0, 10))));
    history = history.with(tick(5, 10, Map.of(in("orders", "risk"), f(30, 3, 30))));
    history = history.with(tick(10, 15, Map.of(in("orders", "risk"), f(20, 0, 20))));

    TrafficHistory.Series series = history.series("risk", T0);

    assertThat(series.t()).hasSize(30);
    // a scrape counts in the bucket of its interval's middle: [T0, T0+10s) has the first two and
    // is closed (no later scrape can reach back into it); the third's bucket is still open
    assertThat(series.t().getLast()).isEqualTo(T0);
    assertThat(series.rps()[29]).isCloseTo(4.0, within(1e-9));
    assertThat(series.errorRate()[29]).isCloseTo(0.075, within(1e-9));
    assertThat(series.rps()[28]).isNaN(); // no scrape then
    var closed = history.closedBuckets(Instant.EPOCH);
    assertThat(closed.keySet()).containsExactly(T0);
    assertThat(closed.get(T0)).containsExactly(Map.entry(new Edge("orders", "risk"), f(40, 3, 40)));
    assertThat(history.closedBuckets(T0)).isEmpty();
  }

  private static ServiceGraph.Node node(ServiceGraph graph, String service) {
    return graph.nodes().stream()
        .filter(n -> n.service().equals(service))
        .findFirst()
        .orElseThrow();
  }

  private static ServiceGraph.Edge edge(ServiceGraph graph) {
    assertThat(graph.edges()).hasSize(1);
    return graph.edges().getFirst();
  }
}
