package dev.firemesh.chassis.schedule;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.Month;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;
import java.util.List;
import java.util.Locale;

/**
 * A five-field cron expression: {@code minute hour day-of-month month day-of-week}.
 *
 * <p>Each field is {@code *} or a comma-separated list of values, ranges ({@code 1-5}) and steps
 * ({@code *}{@code /15}, {@code 8-18/2}, {@code 5/10} meaning from 5 to the field's end); months
 * may be named {@code JAN}-{@code DEC} and days {@code SUN}-{@code SAT} (any case); in the day of
 * the week both 0 and 7 are Sunday. As in Vixie cron, when both day fields are restricted (neither
 * starts with {@code *}) a day matches if either does; otherwise both must.
 *
 * <p>{@link #next} works in the zone of its argument: a time that does not exist there (skipped by
 * a daylight-saving gap) fires at the first instant after the gap; a time that occurs twice fires
 * once, at its first occurrence. Two expressions are equal when their fields select the same values
 * under the same day rule ({@code 0-59/15} equals {@code 0,15,30,45}).
 */
public final class CronExpression {
  private enum Field {
    MINUTE("minute", 0, 59, List.of()),
    HOUR("hour", 0, 23, List.of()),
    DAY_OF_MONTH("day-of-month", 1, 31, List.of()),
    MONTH(
        "month",
        1,
        12,
        List.of(
            "JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC")),
    DAY_OF_WEEK("day-of-week", 0, 7, List.of("SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"));

    final String label;
    final int min;
    final int max;
    final List<String> names;

    Field(String label, int min, int max, List<String> names) {
      this.label = label;
      this.min = min;
      this.max = max;
      this.names = names;
    }

    int nameOffset() {
      return this == MONTH ? 1 : 0;
    }
  }

  // Generous: at most a few hours of candidates are passed over around a daylight-saving change.
  private static final int MAX_CANDIDATES = 100_000;

  private final String text;
  private final long minutes;
  private final long hours;
  private final long daysOfMonth;
  private final long months;
  private final long daysOfWeek; // bits 0-6, Sunday = 0
  private final boolean anyDayOfMonth;
  private final boolean anyDayOfWeek;

  private CronExpression(String text, long[] bits, boolean anyDayOfMonth, boolean anyDayOfWeek) {
    this.text = text;
    this.minutes = bits[0];
    this.hours = bits[1];
    this.daysOfMonth = bits[2];
    this.months = bits[3];
    this.daysOfWeek = bits[4];
    this.anyDayOfMonth = anyDayOfMonth;
    this.anyDayOfWeek = anyDayOfWeek;
  }

  /**
   * Parses five whitespace-separated fields.
   *
   * @throws InvalidCronExpressionException naming the field and its text when the expression is
   *     malformed or can never fire ({@code 0 0 31 2 *})
   */
  public static CronExpression parse(String expression) {
    String text = expression.strip();
    String[] parts = text.isEmpty() ? new String[0] : text.split("\\s+");
    if (parts.length != 5) {
      throw new InvalidCronExpressionException(
          expression,
          "expression",
          text,
          "expected five fields (minute hour day-of-month month day-of-week), found "
              + parts.length);
    }
    Field[] fields = Field.values();
    long[] bits = new long[5];
    for (int i = 0; i < 5; i++) {
      bits[i] = parseField(expression, fields[i], parts[i]);
    }
    // Sunday is both 0 and 7.
    if ((bits[4] & (1L << 7)) != 0) {
      bits[4] = (bits[4] & ~(1L << 7)) | 1L;
    }
    boolean anyDayOfMonth = parts[2].startsWith("*");
    boolean anyDayOfWeek = parts[4].startsWith("*");
    if (!anyDayOfMonth && anyDayOfWeek && !anyMonthHasDay(bits[3], bits[2])) {
      throw new InvalidCronExpressionException(
          expression, "day-of-month", parts[2], "no month in \"" + parts[3] + "\" has such a day");
    }
    return new CronExpression(String.join(" ", parts), bits, anyDayOfMonth, anyDayOfWeek);
  }

  private static boolean anyMonthHasDay(long months, long days) {
    for (int m = 1; m <= 12; m++) {
      if ((months & (1L << m)) != 0) {
        int length = Month.of(m).maxLength();
        for (int d = 1; d <= length; d++) {
          if ((days & (1L << d)) != 0) {
            return true;
          }
        }
      }
    }
    return false;
  }

  private static long parseField(String expression, Field field, String text) {
    long bits = 0;
    for (String item : text.split(",", -1)) {
      bits |= parseItem(expression, field, text, item);
    }
    return bits;
  }

  private static long parseItem(String expression, Field field, String text, String item) {
    String range = item;
    int step = 1;
    int slash = item.indexOf('/');
    if (slash >= 0) {
      range = item.substring(0, slash);
      step = number(expression, field, text, item.substring(slash + 1), "step");
      if (step < 1) {
        throw new InvalidCronExpressionException(
            expression, field.label, text, "a step must be at least 1, found " + step);
      }
    }
    int from;
    int to;
    if (range.equals("*")) {
      from = field.min;
      to = field == Field.DAY_OF_WEEK ? 6 : field.max;
    } else {
      int dash = range.indexOf('-');
      if (dash >= 0) {
        from = value(expression, field, text, range.substring(0, dash));
        to = value(expression, field, text, range.substring(dash + 1));
        if (field == Field.DAY_OF_WEEK && to == 0 && from > 0) {
          to = 7; // SAT-SUN, 5-0: Sunday closes the week
        }
        if (from > to) {
          throw new InvalidCronExpressionException(
              expression, field.label, text, "range " + range + " runs backwards");
        }
      } else {
        from = value(expression, field, text, range);
        to = slash >= 0 ? field.max : from;
      }
    }
    long bits = 0;
    for (int v = from; v <= to; v += step) {
      bits |= 1L << v;
    }
    return bits;
  }

  private static int value(String expression, Field field, String text, String token) {
    String upper = token.toUpperCase(Locale.ROOT);
    int named = field.names.indexOf(upper);
    if (named >= 0) {
      return named + field.nameOffset();
    }
    int value = number(expression, field, text, token, "value");
    if (value < field.min || value > field.max) {
      throw new InvalidCronExpressionException(
          expression, field.label, text, value + " is out of range " + field.min + "-" + field.max);
    }
    return value;
  }

  private static int number(
      String expression, Field field, String text, String token, String what) {
    if (token.isEmpty()
        || token.length() > 4
        || !token.chars().allMatch(c -> c >= '0' && c <= '9')) {
      String expected =
          field.names.isEmpty()
              ? "a number"
              : "a number or one of " + field.names.getFirst() + "-" + field.names.getLast();
      throw new InvalidCronExpressionException(
          expression,
          field.label,
          text,
          (token.isEmpty() ? "missing " + what : "bad " + what + " \"" + token + "\"")
              + ", expected "
              + (what.equals("step") ? "a number" : expected));
    }
    return Integer.parseInt(token);
  }

  /**
   * The first firing strictly after {@code after}, in its zone. Skipped local times fire at the end
   * of their gap; repeated local times fire at their first occurrence only.
   */
  public ZonedDateTime next(ZonedDateTime after) {
    ZoneRules rules = after.getZone().getRules();
    Instant start = after.toInstant();
    LocalDateTime candidate = after.toLocalDateTime().truncatedTo(ChronoUnit.MINUTES);
    for (int i = 0; i < MAX_CANDIDATES; i++) {
      LocalDateTime local = nextMatch(candidate);
      Instant at = firstInstant(local, rules);
      if (at.isAfter(start)) {
        return ZonedDateTime.ofInstant(at, after.getZone());
      }
      candidate = local.plusMinutes(1);
    }
    throw new IllegalStateException("no firing of \"" + text + "\" found after " + after);
  }

  private static Instant firstInstant(LocalDateTime local, ZoneRules rules) {
    List<ZoneOffset> offsets = rules.getValidOffsets(local);
    if (offsets.size() == 1) {
      return local.toInstant(offsets.getFirst());
    }
    ZoneOffsetTransition transition = rules.getTransition(local);
    // In a gap: the instant the clocks jump. In an overlap: the offset in force before the
    // transition gives the earlier of the two instants.
    return offsets.isEmpty()
        ? transition.getInstant()
        : local.toInstant(transition.getOffsetBefore());
  }

  /** The first local date-time at or after {@code from} (whole minutes) that matches. */
  private LocalDateTime nextMatch(LocalDateTime from) {
    LocalDateTime t = from;
    // parse() refuses a day no selected month has, so every other expression fires within one
    // Gregorian cycle: the calendar repeats every 400 years. Days of both fields together can be
    // far apart: a Sunday 1 January comes 11 years after the last, a Sunday 29 February 40.
    LocalDateTime limit = from.plusYears(400);
    while (t.isBefore(limit)) {
      if (!has(months, t.getMonthValue())) {
        t = t.toLocalDate().withDayOfMonth(1).plusMonths(1).atStartOfDay();
      } else if (!dayMatches(t.toLocalDate())) {
        t = t.toLocalDate().plusDays(1).atStartOfDay();
      } else if (!has(hours, t.getHour())) {
        t = t.truncatedTo(ChronoUnit.HOURS).plusHours(1);
      } else if (!has(minutes, t.getMinute())) {
        t = t.plusMinutes(1);
      } else {
        return t;
      }
    }
    throw new IllegalStateException("no firing of \"" + text + "\" found after " + from);
  }

  /** Whether the local date-time (to the minute; seconds are ignored) matches. */
  public boolean matches(LocalDateTime time) {
    return has(months, time.getMonthValue())
        && dayMatches(time.toLocalDate())
        && has(hours, time.getHour())
        && has(minutes, time.getMinute());
  }

  private boolean dayMatches(LocalDate date) {
    boolean dayOfMonth = has(daysOfMonth, date.getDayOfMonth());
    boolean dayOfWeek = has(daysOfWeek, date.getDayOfWeek().getValue() % 7);
    return anyDayOfMonth || anyDayOfWeek ? dayOfMonth && dayOfWeek : dayOfMonth || dayOfWeek;
  }

  private static boolean has(long bits, int value) {
    return (bits & (1L << value)) != 0;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof CronExpression c
        && minutes == c.minutes
        && hours == c.hours
        && daysOfMonth == c.daysOfMonth
        && months == c.months
        && daysOfWeek == c.daysOfWeek
        && anyDayOfMonth == c.anyDayOfMonth
        && anyDayOfWeek == c.anyDayOfWeek;
  }

  @Override
  public int hashCode() {
    return Long.hashCode(minutes ^ hours * 31 ^ daysOfMonth * 961 ^ months * 29791 ^ daysOfWeek)
        + (anyDayOfMonth ? 1 : 0)
        + (anyDayOfWeek ? 2 : 0);
  }

  /** The expression's five fields as written, separated by single spaces. */
  @Override
  public String toString() {
    return text;
  }
}
