package dev.firemesh.control.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/** Quantiles as Prometheus's histogram_quantile gives them, and bucket arithmetic. */
class LatencyHistogramTest {
  private static final double INF = Double.POSITIVE_INFINITY;

  private static LatencyHistogram h(double[] bounds, long... cumulative) {
    return LatencyHistogram.of(bounds, cumulative);
  }

  @Test
  void quantilesInterpolateLinearlyWithinTheirBucket() {
    // 100 calls: 50 up to 1 ms, 40 more up to 2.5 ms, 10 more up to 5 ms.
    LatencyHistogram latency = h(new double[] {0.001, 0.0025, 0.005, INF}, 50, 90, 100, 100);

    assertThat(latency.quantile(0.5)).isCloseTo(0.001, within(1e-12));
    assertThat(latency.quantile(0.25)).isCloseTo(0.0005, within(1e-12));
    // rank 70 is 20 of the 40 in (1 ms, 2.5 ms]: halfway
    assertThat(latency.quantile(0.7)).isCloseTo(0.00175, within(1e-12));
    // rank 99 is 9 of the 10 in (2.5 ms, 5 ms]
    assertThat(latency.quantile(0.99)).isCloseTo(0.00475, within(1e-12));
  }

  @Test
  void aQuantileInTheInfiniteBucketIsTheHighestFiniteBoundAndNoCallsIsNaN() {
    LatencyHistogram slow = h(new double[] {0.1, 1, INF}, 1, 2, 100);

    assertThat(slow.quantile(0.99)).isEqualTo(1.0);
    assertThat(LatencyHistogram.EMPTY.quantile(0.5)).isNaN();
    assertThat(h(new double[] {0.1, INF}, 0, 0).quantile(0.5)).isNaN();
  }

  @Test
  void differencesAndSumsAreBoundByBound() {
    double[] bounds = {0.001, 0.01, INF};
    LatencyHistogram before = h(bounds, 10, 20, 25);
    LatencyHistogram after = h(bounds, 15, 40, 50);

    assertThat(after.minus(before)).isEqualTo(h(bounds, 5, 20, 25));
    assertThat(before.plus(after)).isEqualTo(h(bounds, 25, 60, 75));
    assertThat(after.fellBelow(before)).isFalse();
    assertThat(before.fellBelow(after)).isTrue();
  }

  @Test
  void histogramsWithOtherBoundsAddOverTheUnion() {
    LatencyHistogram a = h(new double[] {0.001, INF}, 4, 10);
    LatencyHistogram b = h(new double[] {0.005, INF}, 3, 5);

    LatencyHistogram sum = a.plus(b);

    assertThat(sum.bounds()).containsExactly(0.001, 0.005, INF);
    // at 0.001 b has nothing known below it; at 0.005 a still counts its 4
    assertThat(sum.cumulative()).containsExactly(4, 7, 15);
    assertThat(sum.count()).isEqualTo(15);
  }

  @Property(tries = 300)
  void aQuantileLiesWithinTheBoundsAndGrowsWithQ(@ForAll("histograms") LatencyHistogram h) {
    double last = -1;
    for (double q = 0; q <= 1.0; q += 0.05) {
      double value = h.quantile(q);
      if (h.isEmpty()) {
        assertThat(value).isNaN();
        continue;
      }
      assertThat(value).isBetween(0.0, 10.0);
      assertThat(value).isGreaterThanOrEqualTo(last - 1e-12);
      last = value;
    }
  }

  @Provide
  Arbitrary<LatencyHistogram> histograms() {
    double[] bounds = {0.0001, 0.001, 0.01, 0.1, 1, 10, INF};
    return Arbitraries.longs()
        .between(0, 1000)
        .array(long[].class)
        .ofSize(bounds.length)
        .map(
            counts -> {
              long[] cumulative = new long[counts.length];
              long sum = 0;
              for (int i = 0; i < counts.length; i++) {
                sum += counts[i];
                cumulative[i] = sum;
              }
              return LatencyHistogram.of(bounds, cumulative);
            });
  }
}
