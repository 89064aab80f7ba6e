package dev.firemesh.bench.harness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class KernelFloorTest {

  // sockperf 3.7's summary, colour codes included, as Debian's package prints it
  private static final String OUTPUT =
      """
      sockperf: [2;35m====> avg-rtt=8.184 (std-dev=28.365)[0m
      sockperf: Summary: Round trip is 8.184 usec
      sockperf: [2;35mTotal 188398 observations[0m; each percentile contains 1883.98 observations
      sockperf: ---> <MAX> observation = 4657.149
      sockperf: ---> percentile 99.999 = 2926.544
      sockperf: ---> percentile 99.990 = 1444.409
      sockperf: ---> percentile 99.900 =   74.806
      sockperf: ---> percentile 99.000 =   20.378
      sockperf: ---> percentile 90.000 =    9.948
      sockperf: ---> percentile 50.000 =    6.543
      sockperf: ---> <MIN> observation =    6.177
      """
          .replace("[2;35m", "\u001B[2;35m")
          .replace("[0m", "\u001B[0m");

  @Test
  void readsTheRoundTripPercentilesSockperfPrints() {
    KernelFloor floor = KernelFloor.parse(1024, OUTPUT);

    assertThat(floor).isEqualTo(new KernelFloor(1024, 6.543, 20.378, 74.806, 4657.149));
  }

  @Test
  void outputWithoutASummaryIsAnErrorNotAZeroFloor() {
    assertThatThrownBy(() -> KernelFloor.parse(64, "sockperf: connection refused"))
        .isInstanceOf(HarnessException.class)
        .hasMessageContaining("percentile 50.000");
  }
}
