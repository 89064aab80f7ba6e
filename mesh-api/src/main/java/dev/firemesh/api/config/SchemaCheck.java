package dev.firemesh.api.config;

import dev.firemesh.api.codec.Durations;
import dev.firemesh.api.validation.Problem;
import dev.firemesh.api.validation.Problems;
import dev.firemesh.api.validation.SourcePosition;
import dev.firemesh.api.validation.Spelling;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Checks a tree of config values against a schema node, collecting a problem per place that the
 * service could not bind. Never throws for any tree of values: what it cannot understand is a
 * problem. Secrets are never quoted back, whatever was written where a reference was due.
 */
final class SchemaCheck {
  private static final Pattern SIMPLE_KEY = Pattern.compile("[A-Za-z0-9_-]+");
  private static final Pattern ENV_REFERENCE = Pattern.compile("env:[A-Za-z_][A-Za-z0-9_]*");
  private static final int MAX_SHOWN = 60;

  private final Problems problems = new Problems();
  private final Function<String, SourcePosition> positions;

  private SchemaCheck(Function<String, SourcePosition> positions) {
    this.positions = positions;
  }

  static List<Problem> checkObject(
      SchemaNode root,
      Map<String, Object> values,
      String path,
      Function<String, SourcePosition> positions) {
    SchemaCheck check = new SchemaCheck(positions);
    check.value(root, values, path);
    return check.problems.list();
  }

  static List<Problem> checkValue(SchemaNode node, Object value, String path) {
    SchemaCheck check = new SchemaCheck(p -> SourcePosition.NONE);
    check.value(node, value, path);
    return check.problems.list();
  }

  /**
   * Whether {@code text} is a secret reference: {@code env:NAME} or {@code file:/absolute/path}.
   */
  static boolean isSecretReference(String text) {
    if (ENV_REFERENCE.matcher(text).matches()) {
      return true;
    }
    return text.startsWith("file:/") && text.length() > "file:/".length() && !text.contains("\0");
  }

  private void value(SchemaNode node, Object value, String path) {
    if (problems.isFull()) {
      return;
    }
    switch (node.type()) {
      case STRING -> {
        if (value instanceof String s) {
          pattern(node, s, path);
          size(node, s.codePointCount(0, s.length()), "characters", path);
        } else {
          wrong("a string", value, path);
        }
      }
      case BOOLEAN -> {
        if (!(value instanceof Boolean)) {
          wrong("true or false", value, path);
        }
      }
      case INTEGER -> {
        if (value instanceof Long l) {
          range(node, BigDecimal.valueOf(l), "", path);
        } else if (value instanceof Integer i) {
          range(node, BigDecimal.valueOf(i), "", path);
        } else {
          wrong("a whole number", value, path);
        }
      }
      case DECIMAL -> {
        Optional<BigDecimal> number = decimal(value);
        if (number.isPresent()) {
          range(node, number.get(), "", path);
        } else {
          wrong("a number", value, path);
        }
      }
      case DURATION -> {
        Optional<Duration> duration =
            value instanceof String s ? Durations.parse(s) : Optional.empty();
        if (duration.isPresent()) {
          range(node, BigDecimal.valueOf(duration.get().toNanos(), 6), "ms", path);
        } else {
          wrong("a duration such as 250ms, 5s, 2m or 1h", value, path);
        }
      }
      case ENUM -> {
        if (value instanceof String s) {
          if (!node.values().contains(s)) {
            problem(
                path,
                "expected one of "
                    + node.values()
                    + ", got "
                    + show(s)
                    + Spelling.hint(s, node.values()));
          } else {
            pattern(node, s, path);
          }
        } else {
          wrong("one of " + node.values(), value, path);
        }
      }
      case SECRET -> {
        if (!(value instanceof String s) || !isSecretReference(s)) {
          // Never echo the value: it may be the secret itself.
          problem(
              path,
              "a secret is written as a reference, env:NAME or file:/absolute/path, resolved"
                  + " inside the service; a plain value is refused so that no secret is stored"
                  + " in a Config");
        }
      }
      case LIST -> {
        if (value instanceof List<?> list) {
          size(node, list.size(), "elements", path);
          SchemaNode element = node.element().orElseThrow();
          for (int i = 0; i < list.size() && !problems.isFull(); i++) {
            value(element, list.get(i), path + "[" + i + "]");
          }
        } else {
          wrong("a list", value, path);
        }
      }
      case OBJECT -> {
        if (value instanceof Map<?, ?> map) {
          object(node, map, path);
        } else {
          wrong("a mapping", value, path);
        }
      }
    }
  }

  private void object(SchemaNode node, Map<?, ?> map, String path) {
    // Sorted, so problems come in a stable order whatever the map's.
    Map<String, Object> sorted = new TreeMap<>();
    map.forEach((k, v) -> sorted.put(String.valueOf(k), v));
    for (Map.Entry<String, Object> e : sorted.entrySet()) {
      String at = child(path, e.getKey());
      SchemaNode field = node.fields().get(e.getKey());
      if (field == null) {
        problem(
            at,
            "unknown key"
                + Spelling.hint(e.getKey(), node.fields().keySet())
                + (node.fields().isEmpty()
                    ? "; this mapping takes no keys"
                    : "; expected one of " + new TreeMap<>(node.fields()).keySet()));
      } else if (e.getValue() == null) {
        problem(at, "no value");
      } else {
        value(field, e.getValue(), at);
      }
    }
  }

  private void pattern(SchemaNode node, String s, String path) {
    if (node.pattern().isPresent() && !Pattern.compile(node.pattern().get()).matcher(s).matches()) {
      problem(path, show(s) + " does not match the pattern " + node.pattern().get());
    }
  }

  private void size(SchemaNode node, int size, String unit, String path) {
    if (node.minSize().isPresent() && size < node.minSize().get()) {
      problem(path, "has " + size + " " + unit + ", at least " + node.minSize().get() + " needed");
    }
    if (node.maxSize().isPresent() && size > node.maxSize().get()) {
      problem(path, "has " + size + " " + unit + ", at most " + node.maxSize().get() + " allowed");
    }
  }

  private void range(SchemaNode node, BigDecimal number, String unit, String path) {
    boolean low = node.min().isPresent() && number.compareTo(node.min().get()) < 0;
    boolean high = node.max().isPresent() && number.compareTo(node.max().get()) > 0;
    if (low || high) {
      problem(
          path,
          number.stripTrailingZeros().toPlainString()
              + unit
              + " is out of range: expected "
              + bounds(node, unit));
    }
  }

  private static String bounds(SchemaNode node, String unit) {
    String min = node.min().map(m -> m.toPlainString() + unit).orElse("");
    String max = node.max().map(m -> m.toPlainString() + unit).orElse("");
    if (!min.isEmpty() && !max.isEmpty()) {
      return "from " + min + " to " + max;
    }
    return min.isEmpty() ? "at most " + max : "at least " + min;
  }

  private static Optional<BigDecimal> decimal(Object value) {
    return switch (value) {
      case Long l -> Optional.of(BigDecimal.valueOf(l));
      case Integer i -> Optional.of(BigDecimal.valueOf(i));
      case BigDecimal d -> Optional.of(d);
      default -> Optional.empty();
    };
  }

  private void wrong(String expected, Object value, String path) {
    problem(path, "expected " + expected + ", got " + describe(value));
  }

  private void problem(String path, String message) {
    problems.add(new Problem(positions.apply(path), path, message));
  }

  static String describe(Object value) {
    return switch (value) {
      case null -> "nothing";
      case String s -> show(s) + " (a string)";
      case Boolean b -> b + " (a boolean)";
      case Long l -> l + " (a whole number)";
      case Integer i -> i + " (a whole number)";
      case BigDecimal d -> d.toPlainString() + " (a decimal)";
      case List<?> l -> "a list";
      case Map<?, ?> m -> "a mapping";
      default -> "a " + value.getClass().getSimpleName();
    };
  }

  private static String show(String s) {
    String text = s.length() > MAX_SHOWN ? s.substring(0, MAX_SHOWN - 3) + "..." : s;
    return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  /** A key's path as the YAML reader records it, so problems find their line and column. */
  static String child(String path, String key) {
    if (SIMPLE_KEY.matcher(key).matches()) {
      return path.isEmpty() ? key : path + "." + key;
    }
    return path + "[\"" + key.replace("\\", "\\\\").replace("\"", "\\\"") + "\"]";
  }

  /** Values-relative paths of required values absent from {@code values}. */
  static List<String> missing(SchemaNode root, Map<String, Object> values) {
    List<String> missing = new ArrayList<>();
    missing(root, values, "", missing);
    return missing;
  }

  private static void missing(
      SchemaNode node, Map<?, ?> values, String path, List<String> missing) {
    for (Map.Entry<String, SchemaNode> e : new TreeMap<>(node.fields()).entrySet()) {
      String at = path.isEmpty() ? e.getKey() : path + "." + e.getKey();
      SchemaNode field = e.getValue();
      Object value = values.get(e.getKey());
      if (field.type() == SchemaType.OBJECT) {
        if (value instanceof Map<?, ?> map) {
          missing(field, map, at, missing);
        } else if (value == null && field.defaultValue().isEmpty()) {
          // An object without a default in code is built from its fields: theirs must be set.
          missing(field, Map.of(), at, missing);
        }
      } else if (value == null && field.required()) {
        missing.add(at);
      }
    }
  }
}
