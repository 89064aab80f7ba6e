package dev.firemesh.chassis.config;

import java.lang.reflect.AnnotatedElement;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Optional;

/**
 * The constraints declared on one place of a config record, read from its annotations ({@link
 * Range}, {@link DurationRange}, {@link Pattern}, {@link Size}). {@code min}/{@code max} are a
 * number's bounds or a duration's in milliseconds.
 */
record Constraints(
    Optional<BigDecimal> min,
    Optional<BigDecimal> max,
    Optional<java.util.regex.Pattern> pattern,
    Optional<Integer> minSize,
    Optional<Integer> maxSize) {

  static final Constraints NONE =
      new Constraints(
          Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());

  /** Reads the annotations present on any of {@code sources} (a component and its type). */
  static Constraints of(String path, AnnotatedElement... sources) {
    Range range = find(Range.class, sources);
    DurationRange durations = find(DurationRange.class, sources);
    Pattern pattern = find(Pattern.class, sources);
    Size size = find(Size.class, sources);
    if (range != null && durations != null) {
      throw new IllegalArgumentException(path + ": @Range and @DurationRange together");
    }
    Optional<BigDecimal> min = Optional.empty();
    Optional<BigDecimal> max = Optional.empty();
    if (range != null) {
      min = range.min() == Long.MIN_VALUE ? min : Optional.of(BigDecimal.valueOf(range.min()));
      max = range.max() == Long.MAX_VALUE ? max : Optional.of(BigDecimal.valueOf(range.max()));
    }
    if (durations != null) {
      min = millis(path, durations.min());
      max = millis(path, durations.max());
    }
    if (min.isPresent() && max.isPresent() && min.get().compareTo(max.get()) > 0) {
      throw new IllegalArgumentException(path + ": the range's min is above its max");
    }
    Optional<java.util.regex.Pattern> regex = Optional.empty();
    if (pattern != null) {
      try {
        regex = Optional.of(java.util.regex.Pattern.compile(pattern.value()));
      } catch (java.util.regex.PatternSyntaxException e) {
        throw new IllegalArgumentException(path + ": @Pattern is not a regular expression", e);
      }
    }
    Optional<Integer> minSize = Optional.empty();
    Optional<Integer> maxSize = Optional.empty();
    if (size != null) {
      if (size.min() < 0 || size.max() < size.min()) {
        throw new IllegalArgumentException(path + ": @Size needs 0 <= min <= max");
      }
      minSize = size.min() == 0 ? minSize : Optional.of(size.min());
      maxSize = size.max() == Integer.MAX_VALUE ? maxSize : Optional.of(size.max());
    }
    return new Constraints(min, max, regex, minSize, maxSize);
  }

  /** A copy with bounds narrowed to [{@code low}, {@code high}] (an {@code int}'s own range). */
  Constraints within(long low, long high) {
    BigDecimal lowest = BigDecimal.valueOf(low);
    BigDecimal highest = BigDecimal.valueOf(high);
    return new Constraints(
        Optional.of(min.filter(m -> m.compareTo(lowest) > 0).orElse(lowest)),
        Optional.of(max.filter(m -> m.compareTo(highest) < 0).orElse(highest)),
        pattern,
        minSize,
        maxSize);
  }

  boolean hasBounds() {
    return min.isPresent() || max.isPresent();
  }

  boolean hasPattern() {
    return pattern.isPresent();
  }

  boolean hasSize() {
    return minSize.isPresent() || maxSize.isPresent();
  }

  /** Why {@code number} is out of bounds, or empty. */
  Optional<String> checkBounds(BigDecimal number, String shown) {
    if (min.isPresent() && number.compareTo(min.get()) < 0) {
      return Optional.of(shown + " is below the minimum " + min.get().toPlainString());
    }
    if (max.isPresent() && number.compareTo(max.get()) > 0) {
      return Optional.of(shown + " is above the maximum " + max.get().toPlainString());
    }
    return Optional.empty();
  }

  Optional<String> checkDuration(Duration duration, String shown) {
    BigDecimal millis = BigDecimal.valueOf(duration.toMillis());
    if (min.isPresent() && millis.compareTo(min.get()) < 0) {
      return Optional.of(
          shown
              + " is shorter than the minimum "
              + ConfigDurations.format(Duration.ofMillis(min.get().longValueExact())));
    }
    if (max.isPresent() && millis.compareTo(max.get()) > 0) {
      return Optional.of(
          shown
              + " is longer than the maximum "
              + ConfigDurations.format(Duration.ofMillis(max.get().longValueExact())));
    }
    return Optional.empty();
  }

  Optional<String> checkPattern(String text) {
    return pattern
        .filter(regex -> !regex.matcher(text).matches())
        .map(regex -> "\"" + text + "\" does not match the pattern " + regex.pattern());
  }

  Optional<String> checkSize(int size, String what) {
    if (minSize.isPresent() && size < minSize.get()) {
      return Optional.of(what + " " + size + " is below the minimum " + minSize.get());
    }
    if (maxSize.isPresent() && size > maxSize.get()) {
      return Optional.of(what + " " + size + " is above the maximum " + maxSize.get());
    }
    return Optional.empty();
  }

  private static Optional<BigDecimal> millis(String path, String bound) {
    if (bound.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        ConfigDurations.parse(bound)
            .map(duration -> BigDecimal.valueOf(duration.toMillis()))
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        path + ": @DurationRange bound \"" + bound + "\" is not a duration")));
  }

  private static <A extends java.lang.annotation.Annotation> A find(
      Class<A> type, AnnotatedElement... sources) {
    for (AnnotatedElement source : sources) {
      A found = source.getAnnotation(type);
      if (found != null) {
        return found;
      }
    }
    return null;
  }
}
