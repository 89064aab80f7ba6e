package dev.firemesh.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class InFlightTest {

  /** Seeds and limits: random runs of sends and answers in any order, checked against a map. */
  static Stream<Arguments> runs() {
    return LongStream.range(0, 100)
        .mapToObj(seed -> Arguments.of(seed, new int[] {1, 2, 3, 7, 64, 100}[(int) (seed % 6)]));
  }

  @ParameterizedTest(name = "seed {0}, limit {1}")
  @MethodSource("runs")
  void behavesAsAMapOfRequestsInFlightWhateverTheOrderOfAnswers(long seed, int limit) {
    Random random = new Random(seed);
    InFlight inFlight = new InFlight(limit);
    Map<Long, long[]> model = new HashMap<>(); // key -> {slot, sent, status}
    long nextKey = random.nextInt(3) == 0 ? random.nextInt(1 << 20) : 0;
    for (int step = 0; step < 2_000; step++) {
      int op = random.nextInt(10);
      if (op < 5 && !inFlight.isFull()) {
        // keys are consecutive per connection; a stalled one may stay while many others pass
        long key = nextKey++;
        long slot = random.nextInt(1_000_000);
        long sent = random.nextLong();
        inFlight.add(key, slot, sent);
        model.put(key, new long[] {slot, sent, 0});
      } else if (op < 9 && !model.isEmpty()) {
        List<Long> keys = new ArrayList<>(model.keySet());
        // answers mostly in order (the oldest), sometimes any
        long key =
            random.nextBoolean()
                ? keys.stream().min(Long::compare).orElseThrow()
                : keys.get(random.nextInt(keys.size()));
        int position = inFlight.find(key);
        assertThat(position).isNotNegative();
        int status = 100 + random.nextInt(500);
        inFlight.status(position, status);
        model.get(key)[2] = status;
        if (random.nextBoolean()) {
          position = inFlight.find(key);
          assertThat(inFlight.slot(position)).isEqualTo(model.get(key)[0]);
          assertThat(inFlight.sentNanos(position)).isEqualTo(model.get(key)[1]);
          assertThat(inFlight.status(position)).isEqualTo((int) model.get(key)[2]);
          inFlight.remove(position);
          model.remove(key);
        }
      } else if (op == 9 && random.nextInt(20) == 0) {
        List<Long> lost = new ArrayList<>();
        inFlight.clear(lost::add);
        assertThat(lost)
            .containsExactlyInAnyOrderElementsOf(model.values().stream().map(v -> v[0]).toList());
        model.clear();
        nextKey = random.nextInt(1 << 20); // a new connection numbers afresh
      }
      assertThat(inFlight.size()).isEqualTo(model.size());
      assertThat(inFlight.isFull()).isEqualTo(model.size() >= limit);
      for (Map.Entry<Long, long[]> e : model.entrySet()) {
        int position = inFlight.find(e.getKey());
        assertThat(position).as("key %d", e.getKey()).isNotNegative();
        assertThat(inFlight.slot(position)).isEqualTo(e.getValue()[0]);
      }
      assertThat(inFlight.find(nextKey)).isEqualTo(-1);
      long even = model.values().stream().filter(v -> v[0] % 2 == 0).count();
      assertThat(inFlight.count(slot -> slot % 2 == 0)).isEqualTo(even);
    }
  }

  @Test
  void refusesMoreThanItsLimitAndAKeyTwice() {
    InFlight inFlight = new InFlight(2);
    inFlight.add(5, 0, 0);

    assertThatThrownBy(() -> inFlight.add(5, 1, 1)).isInstanceOf(IllegalStateException.class);
    inFlight.add(6, 1, 1);
    assertThatThrownBy(() -> inFlight.add(7, 2, 2)).isInstanceOf(IllegalStateException.class);
  }
}
