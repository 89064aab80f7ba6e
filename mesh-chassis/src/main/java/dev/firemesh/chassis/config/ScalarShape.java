package dev.firemesh.chassis.config;

import dev.firemesh.api.config.SchemaNode;
import dev.firemesh.api.config.SchemaType;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A single value: a string, boolean, whole or decimal number, duration, enum constant or secret
 * reference. {@code javaType} is the record's own type ({@code int} or {@code Long}, {@code double}
 * or {@code BigDecimal}, ...), which the bound value is converted to.
 */
record ScalarShape(
    SchemaType type,
    Class<?> javaType,
    Constraints constraints,
    boolean required,
    Optional<Object> defaultValue)
    implements ValueShape {

  ScalarShape {
    if (type == SchemaType.LIST || type == SchemaType.OBJECT) {
      throw new IllegalArgumentException("not a scalar: " + type);
    }
  }

  @Override
  public SchemaNode node() {
    return new SchemaNode(
        type,
        required,
        // A secret's default is a reference, which is not secret, but the schema promises none.
        type == SchemaType.SECRET ? Optional.empty() : defaultValue,
        constraints.min(),
        constraints.max(),
        constraints.pattern().map(java.util.regex.Pattern::pattern),
        constraints.minSize(),
        constraints.maxSize(),
        enumValues(),
        Optional.empty(),
        Map.of());
  }

  @Override
  public String describe() {
    return switch (type) {
      case STRING -> "a string";
      case BOOLEAN -> "a boolean";
      case INTEGER -> "a whole number";
      case DECIMAL -> "a number";
      case DURATION -> "a duration such as 250ms, 5s, 2m or 1h";
      case ENUM -> "one of " + String.join(", ", enumValues());
      case SECRET -> "a secret reference, env:NAME or file:/path";
      default -> type.jsonName();
    };
  }

  @Override
  public Object bind(Object raw, String path, List<ConfigProblem> problems) {
    Optional<String> problem;
    Object bound = null;
    switch (type) {
      case STRING -> {
        if (!(raw instanceof String text)) {
          return wrongType(raw, path, problems);
        }
        problem =
            constraints.checkSize(text.length(), "length").or(() -> constraints.checkPattern(text));
        bound = text;
      }
      case BOOLEAN -> {
        if (!(raw instanceof Boolean flag)) {
          return wrongType(raw, path, problems);
        }
        problem = Optional.empty();
        bound = flag;
      }
      case INTEGER -> {
        Optional<BigDecimal> whole = number(raw).filter(ScalarShape::isWhole);
        if (whole.isEmpty()) {
          return wrongType(raw, path, problems);
        }
        problem = constraints.checkBounds(whole.get(), whole.get().toPlainString());
        if (problem.isEmpty()) {
          bound = integer(whole.get());
          if (bound == null) {
            problem = Optional.of(whole.get().toPlainString() + " does not fit a 64-bit integer");
          }
        }
      }
      case DECIMAL -> {
        Optional<BigDecimal> decimal = number(raw);
        if (decimal.isEmpty()) {
          return wrongType(raw, path, problems);
        }
        problem = constraints.checkBounds(decimal.get(), decimal.get().toPlainString());
        bound = isDouble() ? (Object) decimal.get().doubleValue() : decimal.get();
      }
      case DURATION -> {
        Optional<Duration> duration =
            raw instanceof String text ? ConfigDurations.parse(text) : Optional.empty();
        if (duration.isEmpty()) {
          return wrongType(raw, path, problems);
        }
        problem = constraints.checkDuration(duration.get(), (String) raw);
        bound = duration.get();
      }
      case ENUM -> {
        if (!(raw instanceof String name) || !enumValues().contains(name)) {
          return wrongType(raw, path, problems);
        }
        problem = constraints.checkPattern(name);
        bound = enumConstant(name);
      }
      case SECRET -> {
        if (!(raw instanceof String reference)) {
          return wrongType(raw, path, problems);
        }
        // The problem message never repeats the value: it may be a secret written in plain text.
        problem = Secret.problem(reference);
        bound = problem.isEmpty() ? Secret.of(reference) : null;
      }
      default -> throw new IllegalStateException("not a scalar: " + type);
    }
    if (problem.isPresent()) {
      problems.add(new ConfigProblem(path, problem.get()));
      return null;
    }
    return bound;
  }

  @Override
  public Object toValues(Object value) {
    return switch (type) {
      case INTEGER -> ((Number) value).longValue();
      case DECIMAL ->
          value instanceof BigDecimal decimal ? decimal : BigDecimal.valueOf((Double) value);
      case DURATION -> ConfigDurations.format((Duration) value);
      case ENUM -> ((Enum<?>) value).name();
      case SECRET -> ((Secret) value).reference();
      default -> value;
    };
  }

  private Object wrongType(Object raw, String path, List<ConfigProblem> problems) {
    String shown =
        type == SchemaType.SECRET
                || !(raw instanceof String || raw instanceof Number || raw instanceof Boolean)
            ? ValueShape.kindOf(raw)
            : ValueShape.kindOf(raw) + " (" + raw + ")";
    problems.add(new ConfigProblem(path, "expected " + describe() + ", got " + shown));
    return null;
  }

  private List<String> enumValues() {
    if (type != SchemaType.ENUM) {
      return List.of();
    }
    return Arrays.stream(javaType.getEnumConstants()).map(c -> ((Enum<?>) c).name()).toList();
  }

  private Object enumConstant(String name) {
    for (Object constant : javaType.getEnumConstants()) {
      if (((Enum<?>) constant).name().equals(name)) {
        return constant;
      }
    }
    throw new IllegalStateException(name + " was checked to be a constant of " + javaType);
  }

  private boolean isDouble() {
    return javaType == double.class || javaType == Double.class;
  }

  /** The number as the record's type wants it, or null when it does not fit (an int's range). */
  private Object integer(BigDecimal whole) {
    try {
      long value = whole.longValueExact();
      if (javaType == int.class || javaType == Integer.class) {
        return Math.toIntExact(value);
      }
      return value;
    } catch (ArithmeticException e) {
      return null;
    }
  }

  private static Optional<BigDecimal> number(Object raw) {
    return switch (raw) {
      case Long l -> Optional.of(BigDecimal.valueOf(l));
      case Integer i -> Optional.of(BigDecimal.valueOf(i));
      case BigInteger b -> Optional.of(new BigDecimal(b));
      case BigDecimal d -> Optional.of(d);
      case Double d when Double.isFinite(d) -> Optional.of(BigDecimal.valueOf(d));
      default -> Optional.empty();
    };
  }

  private static boolean isWhole(BigDecimal number) {
    return number.signum() == 0 || number.stripTrailingZeros().scale() <= 0;
  }
}
