package dev.firemesh.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LatencySummaryTest {

  @ParameterizedTest
  @ValueSource(longs = {1, 10, 1_000, 1_000_000, 1_000_000_000})
  void theCurveRisesToTheMaximumInFewerThanAHundredPoints(long samplesPerValue) {
    Histogram micros = new Histogram(3);
    for (long v = 1; v <= 50_000; v += 7) {
      micros.recordValueWithCount(v, samplesPerValue);
    }
    micros.recordValue(2_000_000); // one outlier: the curve must end on it

    LatencySummary summary = LatencySummary.of(micros);
    List<LatencySummary.Point> curve = summary.percentiles();

    assertThat(curve).hasSizeBetween(10, LatencySummary.MAX_POINTS - 1);
    for (int i = 1; i < curve.size(); i++) {
      assertThat(curve.get(i).percentile()).isGreaterThanOrEqualTo(curve.get(i - 1).percentile());
      assertThat(curve.get(i).micros()).isGreaterThanOrEqualTo(curve.get(i - 1).micros());
    }
    LatencySummary.Point last = curve.getLast();
    assertThat(last.percentile()).isEqualTo(100.0);
    assertThat(last.micros()).isEqualTo(summary.max());
    assertThat(curve.getFirst().micros()).isLessThanOrEqualTo(summary.p50());
  }

  @Test
  void anEmptyHistogramHasNoCurve() {
    assertThat(LatencySummary.of(new Histogram(3)).percentiles()).isEmpty();
  }
}
