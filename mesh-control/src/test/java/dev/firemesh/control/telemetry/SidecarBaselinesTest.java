package dev.firemesh.control.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.firemesh.control.telemetry.SeriesKey.Direction;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Increases between scrapes across restarts, new series, and sidecars coming and going. */
class SidecarBaselinesTest {
  private static final SeriesKey ORDERS_RISK = new SeriesKey(Direction.OUTBOUND, "orders", "risk");
  private static final SeriesKey ORDERS_REFDATA =
      new SeriesKey(Direction.OUTBOUND, "orders", "reference-data");
  private static final double[] BOUNDS = {0.001, Double.POSITIVE_INFINITY};

  private static Figures f(long requests, long errors, long fast) {
    return new Figures(requests, errors, LatencyHistogram.of(BOUNDS, new long[] {fast, requests}));
  }

  @Test
  void aNewSidecarOnlySetsItsBaselineThenCountsIncreases() {
    SidecarBaselines baselines = new SidecarBaselines();

    Map<SeriesKey, Figures> first =
        baselines.advance(Map.of("orders-1", Map.of(ORDERS_RISK, f(1000, 10, 900))));
    Map<SeriesKey, Figures> second =
        baselines.advance(Map.of("orders-1", Map.of(ORDERS_RISK, f(1100, 12, 980))));

    assertThat(first).isEmpty();
    assertThat(second).containsExactly(Map.entry(ORDERS_RISK, f(100, 2, 80)));
  }

  @Test
  void aCounterThatWentDownIsARestartCountedFromZero() {
    SidecarBaselines baselines = new SidecarBaselines();
    baselines.advance(Map.of("orders-1", Map.of(ORDERS_RISK, f(1000, 10, 900))));

    Map<SeriesKey, Figures> afterRestart =
        baselines.advance(Map.of("orders-1", Map.of(ORDERS_RISK, f(30, 1, 25))));

    assertThat(afterRestart).containsExactly(Map.entry(ORDERS_RISK, f(30, 1, 25)));
  }

  @Test
  void aSeriesNewInAKnownSidecarCountsFromZeroAndSidecarsAddUp() {
    SidecarBaselines baselines = new SidecarBaselines();
    baselines.advance(
        Map.of(
            "orders-1", Map.of(ORDERS_RISK, f(100, 0, 100)),
            "orders-2", Map.of(ORDERS_RISK, f(50, 0, 50))));

    Map<SeriesKey, Figures> next =
        baselines.advance(
            Map.of(
                "orders-1", Map.of(ORDERS_RISK, f(110, 1, 109), ORDERS_REFDATA, f(7, 0, 7)),
                "orders-2", Map.of(ORDERS_RISK, f(55, 0, 55))));

    assertThat(next)
        .containsOnly(Map.entry(ORDERS_RISK, f(15, 1, 14)), Map.entry(ORDERS_REFDATA, f(7, 0, 7)));
  }

  @Test
  void aSidecarThatWentAwayIsNewAgainWhenItReturns() {
    SidecarBaselines baselines = new SidecarBaselines();
    baselines.advance(Map.of("orders-1", Map.of(ORDERS_RISK, f(100, 0, 100))));
    baselines.advance(Map.of()); // missed a scrape, or disconnected

    Map<SeriesKey, Figures> back =
        baselines.advance(Map.of("orders-1", Map.of(ORDERS_RISK, f(500, 0, 500))));

    // not a burst of 400 in one interval: its counts since leaving are of unknown time
    assertThat(back).isEmpty();
    assertThat(baselines.sidecars()).isEqualTo(1);
  }
}
