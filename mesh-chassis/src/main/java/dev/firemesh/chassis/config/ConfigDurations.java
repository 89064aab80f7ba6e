package dev.firemesh.chassis.config;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;

/**
 * Durations as a {@code Config} writes them: a number and a unit, {@code 250ms}, {@code 5s}, {@code
 * 2m}, {@code 1h}, or several summed ({@code 1m30s}); whole milliseconds at the finest.
 */
final class ConfigDurations {
  private static final java.util.regex.Pattern WHOLE =
      java.util.regex.Pattern.compile("(?:\\d+(?:\\.\\d+)?(?:ms|s|m|h|d))+");
  private static final java.util.regex.Pattern PART =
      java.util.regex.Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m|h|d)");

  private ConfigDurations() {}

  /** The duration {@code text} writes, or empty when it is not one. */
  static Optional<Duration> parse(String text) {
    if (text.equals("0")) {
      return Optional.of(Duration.ZERO);
    }
    if (!WHOLE.matcher(text).matches()) {
      return Optional.empty();
    }
    BigDecimal millis = BigDecimal.ZERO;
    Matcher part = PART.matcher(text);
    while (part.find()) {
      long unit =
          switch (part.group(2)) {
            case "ms" -> 1;
            case "s" -> 1_000;
            case "m" -> 60_000;
            case "h" -> 3_600_000;
            default -> 86_400_000;
          };
      millis = millis.add(new BigDecimal(part.group(1)).multiply(BigDecimal.valueOf(unit)));
    }
    try {
      return Optional.of(Duration.ofMillis(millis.longValueExact()));
    } catch (ArithmeticException e) {
      return Optional.empty(); // a fraction of a millisecond, or too long
    }
  }

  /** The shortest form in the largest unit that divides {@code duration} exactly. */
  static String format(Duration duration) {
    if (duration.isNegative() || duration.toNanos() % 1_000_000 != 0) {
      throw new IllegalArgumentException(
          "a configured duration is whole milliseconds, not negative: " + duration);
    }
    long millis = duration.toMillis();
    if (millis != 0 && millis % 3_600_000 == 0) {
      return millis / 3_600_000 + "h";
    }
    if (millis != 0 && millis % 60_000 == 0) {
      return millis / 60_000 + "m";
    }
    if (millis != 0 && millis % 1_000 == 0) {
      return millis / 1_000 + "s";
    }
    return millis + "ms";
  }
}
