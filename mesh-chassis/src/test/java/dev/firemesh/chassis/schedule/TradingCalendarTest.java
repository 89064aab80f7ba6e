package dev.firemesh.chassis.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.EnumSet;
import java.util.Set;
import java.util.TreeSet;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class TradingCalendarTest {
  @Property
  void aBusinessDayIsNeitherAWeekendDayNorAHoliday(
      @ForAll("dates") LocalDate date,
      @ForAll @Size(max = 3) Set<DayOfWeek> weekend,
      @ForAll @Size(max = 20) Set<@net.jqwik.api.From("dates") LocalDate> holidays) {
    TradingCalendar calendar =
        new TradingCalendar("test", ZoneId.of("UTC"), weekend, new TreeSet<>(holidays));
    assertThat(calendar.isBusinessDay(date))
        .isEqualTo(!weekend.contains(date.getDayOfWeek()) && !holidays.contains(date));
  }

  @Property
  void theBuiltInCalendarsCloseOnWeekendsAndOpenOnOtherNonHolidays(
      @ForAll("dates") LocalDate date) {
    for (TradingCalendar calendar : Set.of(TradingCalendar.london(), TradingCalendar.newYork())) {
      boolean weekend =
          EnumSet.of(DayOfWeek.SATURDAY, DayOfWeek.SUNDAY).contains(date.getDayOfWeek());
      assertThat(calendar.isBusinessDay(date))
          .isEqualTo(!weekend && !calendar.holidays().contains(date));
    }
  }

  @Provide
  Arbitrary<LocalDate> dates() {
    return Arbitraries.integers()
        .between(0, 3 * 366)
        .map(d -> LocalDate.of(2025, 1, 1).plusDays(d));
  }

  @Test
  void holidaysAreObservedOnWeekdays() {
    for (TradingCalendar calendar : Set.of(TradingCalendar.london(), TradingCalendar.newYork())) {
      assertThat(calendar.holidays())
          .allSatisfy(
              d -> assertThat(d.getDayOfWeek()).isNotIn(DayOfWeek.SATURDAY, DayOfWeek.SUNDAY));
    }
  }

  @Test
  void knownClosures() {
    TradingCalendar london = TradingCalendar.london();
    assertThat(london.zone()).isEqualTo(ZoneId.of("Europe/London"));
    assertThat(london.holidays()).hasSize(24);
    // Boxing Day 2026 is a Saturday: the substitute is Monday the 28th.
    assertThat(london.isBusinessDay(LocalDate.parse("2026-12-25"))).isFalse();
    assertThat(london.isBusinessDay(LocalDate.parse("2026-12-28"))).isFalse();
    assertThat(london.isBusinessDay(LocalDate.parse("2026-12-29"))).isTrue();
    assertThat(london.isBusinessDay(LocalDate.parse("2027-03-26"))).as("Good Friday").isFalse();

    TradingCalendar newYork = TradingCalendar.newYork();
    assertThat(newYork.zone()).isEqualTo(ZoneId.of("America/New_York"));
    assertThat(newYork.holidays()).hasSize(31);
    assertThat(newYork.isBusinessDay(LocalDate.parse("2026-07-03")))
        .as("July 4th observed")
        .isFalse();
    assertThat(newYork.isBusinessDay(LocalDate.parse("2026-11-26"))).as("Thanksgiving").isFalse();
    assertThat(newYork.isBusinessDay(LocalDate.parse("2026-12-28"))).isTrue();
  }
}
