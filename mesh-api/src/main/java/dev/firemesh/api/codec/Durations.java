package dev.firemesh.api.codec;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as written in documents: a number and a unit ({@code ns}, {@code us}, {@code ms},
 * {@code s}, {@code m}, {@code h}), fractions allowed ({@code 1.5s}), parts may be chained ({@code
 * 1m30s}); {@code 0} needs no unit. Written back in the largest unit that is exact: {@code 1500ms},
 * {@code 2s}, {@code 90s}, {@code 1h}.
 */
public final class Durations {

  /** Longer than any timeout or interval makes sense for; keeps arithmetic far from overflow. */
  static final Duration MAX = Duration.ofDays(365);

  private static final Pattern PART =
      Pattern.compile("([0-9]{1,20}(?:\\.[0-9]{1,20})?)(ns|us|µs|ms|s|m|h)");
  private static final Pattern WHOLE =
      Pattern.compile("(?:[0-9]{1,20}(?:\\.[0-9]{1,20})?(?:ns|us|µs|ms|s|m|h)){1,8}");

  private Durations() {}

  /** The duration, or empty if the text is not one, is finer than a nanosecond or above MAX. */
  public static Optional<Duration> parse(String text) {
    if (text.equals("0")) {
      return Optional.of(Duration.ZERO);
    }
    if (!WHOLE.matcher(text).matches()) {
      return Optional.empty();
    }
    BigDecimal nanos = BigDecimal.ZERO;
    Matcher part = PART.matcher(text);
    while (part.find()) {
      nanos = nanos.add(new BigDecimal(part.group(1)).multiply(nanosPer(part.group(2))));
    }
    if (nanos.compareTo(BigDecimal.valueOf(MAX.toNanos())) > 0) {
      return Optional.empty();
    }
    try {
      return Optional.of(Duration.ofNanos(nanos.longValueExact()));
    } catch (ArithmeticException finerThanNanos) {
      return Optional.empty();
    }
  }

  public static String format(Duration duration) {
    long nanos = duration.toNanos();
    if (nanos == 0) {
      return "0s";
    }
    String[] units = {"h", "m", "s", "ms", "us", "ns"};
    for (String unit : units) {
      long per = nanosPer(unit).longValueExact();
      if (nanos % per == 0) {
        return nanos / per + unit;
      }
    }
    throw new AssertionError("every duration is a whole number of nanoseconds");
  }

  private static BigDecimal nanosPer(String unit) {
    return BigDecimal.valueOf(
        switch (unit) {
          case "h" -> 3_600_000_000_000L;
          case "m" -> 60_000_000_000L;
          case "s" -> 1_000_000_000L;
          case "ms" -> 1_000_000L;
          case "us", "µs" -> 1_000L;
          case "ns" -> 1L;
          default -> throw new IllegalArgumentException("unit " + unit);
        });
  }
}
