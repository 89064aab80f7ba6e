package dev.firemesh.chassis.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CronExpressionTest {
  private static final ZoneId LONDON = ZoneId.of("Europe/London");
  private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");

  private static Instant next(String expression, String after, ZoneId zone) {
    return CronExpression.parse(expression)
        .next(LocalDateTime.parse(after).atZone(zone))
        .toInstant();
  }

  private static List<Instant> firings(String expression, Instant after, ZoneId zone, int n) {
    CronExpression cron = CronExpression.parse(expression);
    List<Instant> firings = new ArrayList<>();
    ZonedDateTime t = after.atZone(zone);
    for (int i = 0; i < n; i++) {
      t = cron.next(t);
      firings.add(t.toInstant());
    }
    return firings;
  }

  @Test
  void firesAtTheNextMatchingMinute() {
    assertThat(next("0 17 * * *", "2026-03-10T12:00", LONDON))
        .isEqualTo(Instant.parse("2026-03-10T17:00:00Z"));
    assertThat(next("0 17 * * *", "2026-03-10T17:00", LONDON))
        .as("strictly after")
        .isEqualTo(Instant.parse("2026-03-11T17:00:00Z"));
    assertThat(next("*/15 * * * *", "2026-03-10T10:07:30", ZoneId.of("UTC")))
        .isEqualTo(Instant.parse("2026-03-10T10:15:00Z"));
    assertThat(next("5/20 8-18/5 * * *", "2026-03-10T18:46", ZoneId.of("UTC")))
        .isEqualTo(Instant.parse("2026-03-11T08:05:00Z"));
    assertThat(next("0 0 29 2 *", "2026-03-01T00:00", ZoneId.of("UTC")))
        .isEqualTo(Instant.parse("2028-02-29T00:00:00Z"));
  }

  @Test
  void namesAndSundayAsZeroOrSeven() {
    CronExpression sunday = CronExpression.parse("0 0 * * 0");
    assertThat(CronExpression.parse("0 0 * * 7")).isEqualTo(sunday);
    assertThat(CronExpression.parse("0 0 * * sun")).isEqualTo(sunday);
    assertThat(CronExpression.parse("0 9 * jan,Dec MON-FRI"))
        .isEqualTo(CronExpression.parse("0 9 * 1,12 1-5"));
    assertThat(CronExpression.parse("0 0 * * SAT-SUN"))
        .isEqualTo(CronExpression.parse("0 0 * * 0,6"));
    assertThat(CronExpression.parse("0-59/15 * * * *"))
        .isEqualTo(CronExpression.parse("0,15,30,45 * * * *"));
    // 2026-03-14 is a Saturday.
    assertThat(next("0 9 * * MON-FRI", "2026-03-14T00:00", LONDON))
        .isEqualTo(Instant.parse("2026-03-16T09:00:00Z"));
  }

  @Test
  void eitherDayFieldMatchesWhenBothAreRestricted() {
    // Friday the 13th in cron means the 13th or any Friday; 2026-03-06 is a Friday.
    assertThat(next("0 0 13 * FRI", "2026-03-01T00:00", ZoneId.of("UTC")))
        .isEqualTo(Instant.parse("2026-03-06T00:00:00Z"));
    assertThat(next("0 0 13 * *", "2026-03-01T00:00", ZoneId.of("UTC")))
        .isEqualTo(Instant.parse("2026-03-13T00:00:00Z"));
    // A day field starting with * is unrestricted: both must match (odd days that are Mondays).
    assertThat(next("0 0 */2 * MON", "2026-03-01T00:00", ZoneId.of("UTC")))
        .isEqualTo(Instant.parse("2026-03-09T00:00:00Z"));
  }

  @Test
  void bothDayFieldsTogetherMayBeYearsApart() {
    // */7 starts with *, so both fields must match: a 1 January that is a Sunday (found by the
    // property test: the search once gave up after nine years).
    assertThat(next("* * 1 1 */7", "2023-11-14T22:13", ZoneId.of("UTC")))
        .isEqualTo(Instant.parse("2034-01-01T00:00:00Z"));
    // Sunday 29 February: 2088, then 2128 (2100 is no leap year).
    assertThat(next("0 0 29 2 */7", "2088-03-01T00:00", ZoneId.of("UTC")))
        .isEqualTo(Instant.parse("2128-02-29T00:00:00Z"));
  }

  @Test
  void aTimeSkippedBySpringForwardFiresWhenTheClocksJump() {
    // London: 2026-03-29 01:00 GMT becomes 02:00 BST; 01:30 does not exist.
    assertThat(firings("30 1 * * *", Instant.parse("2026-03-28T12:00:00Z"), LONDON, 2))
        .containsExactly(
            Instant.parse("2026-03-29T01:00:00Z"), Instant.parse("2026-03-30T00:30:00Z"));
    // New York: 2026-03-08 02:00 EST becomes 03:00 EDT; every quarter hour in the gap is one
    // firing at 03:00 EDT, and 03:00 itself does not fire twice.
    assertThat(firings("*/15 * * * *", Instant.parse("2026-03-08T06:40:00Z"), NEW_YORK, 3))
        .containsExactly(
            Instant.parse("2026-03-08T06:45:00Z"),
            Instant.parse("2026-03-08T07:00:00Z"),
            Instant.parse("2026-03-08T07:15:00Z"));
    assertThat(next("30 2 * * *", "2026-03-08T00:00", NEW_YORK))
        .isEqualTo(Instant.parse("2026-03-08T07:00:00Z"));
  }

  @Test
  void aTimeRepeatedByFallBackFiresOnceAtItsFirstOccurrence() {
    // London: 2026-10-25 02:00 BST becomes 01:00 GMT; 01:30 happens twice.
    assertThat(firings("30 1 * * *", Instant.parse("2026-10-24T12:00:00Z"), LONDON, 2))
        .containsExactly(
            Instant.parse("2026-10-25T00:30:00Z"), Instant.parse("2026-10-26T01:30:00Z"));
    assertThat(firings("*/30 * * * *", Instant.parse("2026-10-24T23:45:00Z"), LONDON, 3))
        .containsExactly(
            Instant.parse("2026-10-25T00:00:00Z"),
            Instant.parse("2026-10-25T00:30:00Z"),
            Instant.parse("2026-10-25T02:00:00Z"));
    // New York: 2026-11-01 02:00 EDT becomes 01:00 EST.
    assertThat(firings("30 1 * * *", Instant.parse("2026-10-31T12:00:00Z"), NEW_YORK, 2))
        .containsExactly(
            Instant.parse("2026-11-01T05:30:00Z"), Instant.parse("2026-11-02T06:30:00Z"));
    // Asked from inside the second occurrence: the repeated hour does not fire again.
    assertThat(
            CronExpression.parse("*/30 * * * *")
                .next(ZonedDateTime.parse("2026-11-01T01:10-05:00[America/New_York]"))
                .toInstant())
        .isEqualTo(Instant.parse("2026-11-01T07:00:00Z"));
  }

  @Test
  void malformedExpressionsAreRefusedNamingTheField() {
    assertRefused("61 * * * *", "minute", "61", "61 is out of range 0-59");
    assertRefused("* * * *", "expression", "* * * *", "expected five fields");
    assertRefused("* 24 * * *", "hour", "24", "out of range 0-23");
    assertRefused("* * 0 * *", "day-of-month", "0", "out of range 1-31");
    assertRefused(
        "* * * FOO *", "month", "FOO", "bad value \"FOO\", expected a number or one of JAN-DEC");
    assertRefused("* * * * MON-BAR", "day-of-week", "MON-BAR", "one of SUN-SAT");
    assertRefused("5-1 * * * *", "minute", "5-1", "runs backwards");
    assertRefused("*/0 * * * *", "minute", "*/0", "step must be at least 1");
    assertRefused("1,,2 * * * *", "minute", "1,,2", "missing value");
    assertRefused("0 0 31 2 *", "day-of-month", "31", "no month");
    assertRefused("0 0 30,31 2,feb *", "day-of-month", "30,31", "no month");
  }

  private static void assertRefused(String expression, String field, String text, String fault) {
    assertThatThrownBy(() -> CronExpression.parse(expression))
        .isInstanceOfSatisfying(
            InvalidCronExpressionException.class,
            e -> {
              assertThat(e.field()).isEqualTo(field);
              assertThat(e.text()).isEqualTo(text);
              assertThat(e.getMessage()).contains(field).contains(fault);
            });
  }

  @Test
  void printsItsFieldsAsWritten() {
    assertThat(CronExpression.parse("  0  17 *  * MON-FRI ").toString())
        .isEqualTo("0 17 * * MON-FRI");
  }
}
