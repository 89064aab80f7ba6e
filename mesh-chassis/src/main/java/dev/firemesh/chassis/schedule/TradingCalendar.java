package dev.firemesh.chassis.schedule;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * A venue's business days: its time zone, its weekend and its holidays (the dates the market is
 * closed, observed dates rather than nominal ones). A day is a business day when it is neither.
 *
 * @param name what the calendar is, for task listings ({@code london})
 * @param zone the zone the venue's dates are counted in
 * @param weekend the days of the week it never opens
 * @param holidays the dates it is closed besides weekends
 */
public record TradingCalendar(
    String name, ZoneId zone, Set<DayOfWeek> weekend, SortedSet<LocalDate> holidays) {

  public TradingCalendar {
    if (name.isBlank()) {
      throw new IllegalArgumentException("a trading calendar needs a name");
    }
    weekend = Set.copyOf(weekend);
    holidays = Collections.unmodifiableSortedSet(new TreeSet<>(holidays));
  }

  /** Whether the venue is open on {@code date}: not a weekend day, not a holiday. */
  public boolean isBusinessDay(LocalDate date) {
    return !weekend.contains(date.getDayOfWeek()) && !holidays.contains(date);
  }

  /**
   * The London Stock Exchange: Europe/London, Saturday and Sunday, and the bank holidays of England
   * and Wales for 2025-2027 (substitute days where Christmas or Boxing Day fall on a weekend).
   */
  public static TradingCalendar london() {
    return of(
        "london",
        "Europe/London",
        // 2025: New Year, Good Friday, Easter Monday, early May, spring, summer, Christmas, Boxing
        "2025-01-01",
        "2025-04-18",
        "2025-04-21",
        "2025-05-05",
        "2025-05-26",
        "2025-08-25",
        "2025-12-25",
        "2025-12-26",
        "2026-01-01",
        "2026-04-03",
        "2026-04-06",
        "2026-05-04",
        "2026-05-25",
        "2026-08-31",
        "2026-12-25",
        "2026-12-28",
        "2027-01-01",
        "2027-03-26",
        "2027-03-29",
        "2027-05-03",
        "2027-05-31",
        "2027-08-30",
        "2027-12-27",
        "2027-12-28");
  }

  /**
   * The New York Stock Exchange: America/New_York, Saturday and Sunday, and its full-day closures
   * for 2025-2027 (a Saturday holiday observed the Friday before, a Sunday one the Monday after;
   * the national day of mourning of 9 January 2025 included).
   */
  public static TradingCalendar newYork() {
    return of(
        "new-york",
        "America/New_York",
        // 2025: New Year, mourning (Carter), MLK, Washington, Good Friday, Memorial, Juneteenth,
        // Independence, Labor, Thanksgiving, Christmas
        "2025-01-01",
        "2025-01-09",
        "2025-01-20",
        "2025-02-17",
        "2025-04-18",
        "2025-05-26",
        "2025-06-19",
        "2025-07-04",
        "2025-09-01",
        "2025-11-27",
        "2025-12-25",
        "2026-01-01",
        "2026-01-19",
        "2026-02-16",
        "2026-04-03",
        "2026-05-25",
        "2026-06-19",
        "2026-07-03",
        "2026-09-07",
        "2026-11-26",
        "2026-12-25",
        "2027-01-01",
        "2027-01-18",
        "2027-02-15",
        "2027-03-26",
        "2027-05-31",
        "2027-06-18",
        "2027-07-05",
        "2027-09-06",
        "2027-11-25",
        "2027-12-24");
  }

  private static TradingCalendar of(String name, String zone, String... holidays) {
    return new TradingCalendar(
        name,
        ZoneId.of(zone),
        EnumSet.of(DayOfWeek.SATURDAY, DayOfWeek.SUNDAY),
        Arrays.stream(holidays)
            .map(LocalDate::parse)
            .collect(Collectors.toCollection(TreeSet::new)));
  }
}
