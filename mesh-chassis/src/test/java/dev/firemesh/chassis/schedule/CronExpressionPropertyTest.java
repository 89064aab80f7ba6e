package dev.firemesh.chassis.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.time.zone.ZoneOffsetTransition;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.LongRange;

class CronExpressionPropertyTest {
  private static final List<ZoneId> ZONES =
      List.of(
          ZoneId.of("UTC"),
          ZoneId.of("Europe/London"),
          ZoneId.of("America/New_York"),
          ZoneId.of("Australia/Lord_Howe")); // a half-hour daylight-saving shift

  @Property(tries = 2000)
  void anyTextIsParsedOrRefusedWithItsOwnException(@ForAll("cronish") String text) {
    try {
      CronExpression.parse(text);
    } catch (InvalidCronExpressionException e) {
      assertThat(e.getMessage()).contains(e.field());
    }
  }

  @Property(tries = 500)
  void arbitraryUnicodeIsParsedOrRefusedWithItsOwnException(@ForAll String text) {
    try {
      CronExpression.parse(text);
    } catch (InvalidCronExpressionException e) {
      assertThat(e.field()).isNotBlank();
    }
  }

  @Property(tries = 1000)
  void printingAndParsingAgainGivesTheSameExpression(@ForAll("expressions") String text) {
    CronExpression cron = parseOrSkip(text);
    if (cron == null) {
      return;
    }
    CronExpression again = CronExpression.parse(cron.toString());
    assertThat(again).isEqualTo(cron).hasSameHashCodeAs(cron);
    assertThat(again.toString()).isEqualTo(cron.toString());
  }

  @Property(tries = 1000)
  void nextIsStrictlyAfterAndMatches(
      @ForAll("expressions") String text,
      @ForAll @LongRange(min = 1_700_000_000L, max = 1_900_000_000L) long epochSecond,
      @ForAll("zones") ZoneId zone) {
    CronExpression cron = parseOrSkip(text);
    if (cron == null) {
      return;
    }
    ZonedDateTime after = Instant.ofEpochSecond(epochSecond).atZone(zone);
    ZonedDateTime next = cron.next(after);
    assertThat(next.toInstant()).isAfter(after.toInstant());
    assertThat(next.getZone()).isEqualTo(zone);
    if (!cron.matches(next.toLocalDateTime())) {
      // Only a skipped local time fires off its own minute: at the end of a daylight-saving gap.
      ZoneOffsetTransition transition =
          zone.getRules().previousTransition(next.toInstant().plusNanos(1));
      assertThat(transition.getInstant()).isEqualTo(next.toInstant());
      assertThat(transition.isGap()).isTrue();
    }
  }

  @Property(tries = 300)
  void nextSkipsNoMatchingMinuteInUtc(
      @ForAll("expressions") String text,
      @ForAll @LongRange(min = 1_700_000_000L, max = 1_900_000_000L) long epochSecond) {
    CronExpression cron = parseOrSkip(text);
    if (cron == null) {
      return;
    }
    ZonedDateTime after = Instant.ofEpochSecond(epochSecond).atZone(ZoneId.of("UTC"));
    ZonedDateTime next = cron.next(after);
    LocalDateTime t = after.toLocalDateTime().truncatedTo(ChronoUnit.MINUTES).plusMinutes(1);
    for (int i = 0; i < 3000 && t.isBefore(next.toLocalDateTime()); i++, t = t.plusMinutes(1)) {
      assertThat(cron.matches(t)).as("%s matches %s, before %s", text, t, next).isFalse();
    }
  }

  private static CronExpression parseOrSkip(String text) {
    try {
      return CronExpression.parse(text);
    } catch (InvalidCronExpressionException e) {
      return null; // an impossible date (31 Feb); covered by the examples
    }
  }

  @Provide
  Arbitrary<ZoneId> zones() {
    return Arbitraries.of(ZONES);
  }

  @Provide
  Arbitrary<String> cronish() {
    return Arbitraries.strings().withChars("0123456789*/-, \tMONJANSUNFRIDECx").ofMaxLength(40);
  }

  @Provide
  Arbitrary<String> expressions() {
    return Combinators.combine(
            field(0, 59, List.of()),
            field(0, 23, List.of()),
            field(1, 31, List.of()),
            field(
                1,
                12,
                List.of(
                    "JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV",
                    "DEC")),
            field(0, 7, List.of("SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT")))
        .as((m, h, dom, mon, dow) -> String.join(" ", m, h, dom, mon, dow));
  }

  private static Arbitrary<String> field(int min, int max, List<String> names) {
    Arbitrary<Integer> value = Arbitraries.integers().between(min, max);
    Arbitrary<String> single =
        names.isEmpty()
            ? value.map(String::valueOf)
            : Arbitraries.oneOf(value.map(String::valueOf), Arbitraries.of(names));
    Arbitrary<String> range =
        Combinators.combine(value, value).as((a, b) -> Math.min(a, b) + "-" + Math.max(a, b));
    Arbitrary<Integer> step = Arbitraries.integers().between(1, max - min + 1);
    Arbitrary<String> item =
        Arbitraries.oneOf(
            single,
            range,
            Combinators.combine(range, step).as((r, s) -> r + "/" + s),
            step.map(s -> "*/" + s),
            Combinators.combine(value, step).as((v, s) -> v + "/" + s));
    Arbitrary<String> list = item.list().ofMinSize(1).ofMaxSize(3).map(l -> String.join(",", l));
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(2, Arbitraries.just("*")), net.jqwik.api.Tuple.of(5, list));
  }
}
