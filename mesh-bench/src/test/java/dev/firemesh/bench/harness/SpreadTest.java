package dev.firemesh.bench.harness;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SpreadTest {

  @Test
  void theMedianOfAnOddCountIsItsMiddleValue() {
    assertThat(Spread.of(List.of(300.0, 100.0, 200.0))).isEqualTo(new Spread(200, 100, 300));
  }

  @Test
  void theMedianOfAnEvenCountIsTheMeanOfTheMiddleTwo() {
    assertThat(Spread.of(List.of(4.0, 1.0, 3.0, 2.0))).isEqualTo(new Spread(2.5, 1, 4));
  }

  @Test
  void addedLatencyIsMeasuredAgainstTheBaselinesMedian() {
    Spread proxied = new Spread(500, 450, 700);
    Spread direct = new Spread(200, 150, 900);

    assertThat(proxied.minus(direct)).isEqualTo(new Spread(300, 250, 500));
  }

  @Test
  void repeatsRunForwardThenBackward() {
    List<String> slots = List.of("A", "B", "C");

    assertThat(Harness.interleaved(slots, 0)).containsExactly("A", "B", "C");
    assertThat(Harness.interleaved(slots, 1)).containsExactly("C", "B", "A");
    assertThat(Harness.interleaved(slots, 2)).containsExactly("A", "B", "C");
  }
}
