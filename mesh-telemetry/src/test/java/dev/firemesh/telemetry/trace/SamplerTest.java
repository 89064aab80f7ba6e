package dev.firemesh.telemetry.trace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class SamplerTest {
  private static final Duration SLOW = Duration.ofMillis(250);

  @Test
  void ratioZeroSamplesNoNewTraceAndRatioOneEvery() {
    Sampler none = new Sampler(0, SLOW);
    Sampler all = new Sampler(1, SLOW);
    for (int i = 0; i < 10_000; i++) {
      TraceId id = TraceId.random();
      assertThat(none.sampleNewTrace(id)).isFalse();
      assertThat(all.sampleNewTrace(id)).isTrue();
    }
    assertThat(none.sampleNewTrace(new TraceId(0, Long.MIN_VALUE))).isFalse();
    assertThat(all.sampleNewTrace(new TraceId(0, Long.MAX_VALUE))).isTrue();
  }

  @Test
  void decidesOnTheTraceIdsLowHalfAsOpenTelemetrysTraceIdRatioBasedDoes() {
    Sampler half = new Sampler(0.5, SLOW);
    // |low| < 0.5 * Long.MAX_VALUE (= 2^62), whatever the high half
    assertThat(half.sampleNewTrace(new TraceId(-1, (1L << 62) - 1))).isTrue();
    assertThat(half.sampleNewTrace(new TraceId(7, -((1L << 62) - 1)))).isTrue();
    assertThat(half.sampleNewTrace(new TraceId(-1, (1L << 62) + 1))).isFalse();
    assertThat(half.sampleNewTrace(new TraceId(7, Long.MIN_VALUE + 1))).isFalse();
    assertThat(new Sampler(0.01, SLOW).sampleNewTrace(new TraceId(5, 1))).isTrue();
    assertThat(new Sampler(0.01, SLOW).sampleNewTrace(new TraceId(5, Long.MAX_VALUE / 2)))
        .isFalse();
  }

  @Test
  void theSameTraceGetsTheSameDecisionFromEverySampler() {
    for (int i = 0; i < 1000; i++) {
      TraceId id = TraceId.random();
      assertThat(new Sampler(0.3, SLOW).sampleNewTrace(id))
          .isEqualTo(new Sampler(0.3, Duration.ZERO).sampleNewTrace(id));
    }
  }

  @Test
  void samplesAboutTheRatioOfRandomTraces() {
    Sampler quarter = new Sampler(0.25, SLOW);
    int sampled = 0;
    int n = 100_000;
    for (int i = 0; i < n; i++) {
      if (quarter.sampleNewTrace(TraceId.random())) {
        sampled++;
      }
    }
    // 0.25 +- 0.01 is more than seven standard deviations at this n
    assertThat(sampled / (double) n).isBetween(0.24, 0.26);
  }

  @Test
  void exportsSampledFailedAndSlowHopsOnly() {
    Sampler sampler = new Sampler(0.01, SLOW);
    long fast = Duration.ofMillis(3).toNanos();
    assertThat(sampler.exports(true, false, fast)).isTrue();
    assertThat(sampler.exports(false, true, fast)).isTrue();
    assertThat(sampler.exports(false, false, SLOW.toNanos() + 1)).isTrue();
    assertThat(sampler.exports(false, false, SLOW.toNanos())).isFalse();
    assertThat(sampler.exports(false, false, fast)).isFalse();
  }

  @Test
  void refusesARatioOutsideZeroToOneAndANegativeThreshold() {
    assertThatThrownBy(() -> new Sampler(-0.1, SLOW)).hasMessageContaining("between 0 and 1");
    assertThatThrownBy(() -> new Sampler(1.5, SLOW)).hasMessageContaining("between 0 and 1");
    assertThatThrownBy(() -> new Sampler(Double.NaN, SLOW)).hasMessageContaining("between 0 and 1");
    assertThatThrownBy(() -> new Sampler(0.1, Duration.ofMillis(-1)))
        .hasMessageContaining("must not be negative");
  }

  @Test
  void theSidecarsDefaultsAreOnePercentAnd250Milliseconds() {
    assertThat(Sampler.DEFAULT.ratio()).isEqualTo(0.01);
    assertThat(Sampler.DEFAULT.slowThreshold()).isEqualTo(Duration.ofMillis(250));
  }
}
