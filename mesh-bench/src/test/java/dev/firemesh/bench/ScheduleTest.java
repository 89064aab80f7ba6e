package dev.firemesh.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ScheduleTest {

  @ParameterizedTest
  @CsvSource({"1000, 3, 7, 20", "1000, 4, 0, 8", "1000, 1, 5, 5", "1000, 5, 3, 2"})
  void everyMeasuredSlotBelongsToExactlyOneConnection(
      int rate, int connections, long warmup, long measured) {
    Schedule schedule = new Schedule(0, rate, connections, warmup, measured);

    long sum = 0;
    for (int connection = 0; connection < connections; connection++) {
      sum += schedule.measuredSlotsFrom(connection);
    }

    assertThat(sum).isEqualTo(measured);
  }

  @ParameterizedTest
  @CsvSource({"3, 7, 20", "4, 0, 8", "2, 5, 5"})
  void aBacklogIsCountedFromTheNextUnsentSlot(int connections, long warmup, long measured) {
    Schedule schedule = new Schedule(0, 1000, connections, warmup, measured);
    for (long from = 0; from < warmup + measured + 2 * connections; from++) {
      long start = from;
      long expected =
          LongStream.iterate(start, s -> s < warmup + measured, s -> s + connections)
              .filter(schedule::measured)
              .count();
      assertThat(schedule.measuredSlotsFrom(from)).as("from slot %d", from).isEqualTo(expected);
    }
  }

  @ParameterizedTest
  @CsvSource({"1000, 1000000", "3, 333333333", "7, 142857142"})
  void slotsAreEvenlySpacedAtTheRate(int rate, long spacingNanos) {
    Schedule schedule = new Schedule(100, rate, 1, 0, 10);

    assertThat(schedule.intendedNanos(0)).isEqualTo(100);
    assertThat(schedule.intendedNanos(1) - schedule.intendedNanos(0)).isEqualTo(spacingNanos);
    assertThat(schedule.intendedNanos(rate)).isEqualTo(100 + 1_000_000_000L);
  }
}
