package dev.firemesh.api.codec;

import dev.firemesh.api.validation.Spelling;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;

/**
 * The value readers fields are made of. Types are strict, as in Kubernetes: a string field wants a
 * string ({@code "2"}, not {@code 2}), a number field a number. Every reader reports what it
 * expected and what it got.
 */
final class Values {

  /** Nesting allowed inside Config values; documents are shallow, aliases can make cycles. */
  static final int MAX_TREE_DEPTH = 32;

  private static final int QUOTE_LIMIT = 60;

  private Values() {}

  /** How a node reads in "got ..." messages: {@code "ninety"}, {@code 12}, {@code a list}. */
  static String describe(Node node) {
    return switch (node) {
      case MappingNode m -> "a mapping";
      case SequenceNode s -> "a list";
      case ScalarNode s when s.getTag().equals(Tag.NULL) -> "nothing";
      case ScalarNode s when s.getTag().equals(Tag.STR) -> quote(s.getValue());
      case ScalarNode s -> truncate(s.getValue());
      default -> "a " + node.getNodeType().name().toLowerCase(Locale.ROOT);
    };
  }

  static String quote(String text) {
    StringBuilder out = new StringBuilder("\"");
    truncate(text)
        .codePoints()
        .forEach(
            c -> {
              if (c == '"' || c == '\\') {
                out.append('\\').appendCodePoint(c);
              } else if (c < 0x20 || c == 0x7f) {
                out.append(String.format(Locale.ROOT, "\\u%04x", c));
              } else {
                out.appendCodePoint(c);
              }
            });
    return out.append('"').toString();
  }

  private static String truncate(String text) {
    return text.length() <= QUOTE_LIMIT ? text : text.substring(0, QUOTE_LIMIT) + "...";
  }

  private static boolean isStringLike(ScalarNode scalar) {
    return scalar.getTag().equals(Tag.STR);
  }

  /** A string accepted by {@code rule}, normalised. */
  static ValueReader<String> string(StringRule rule) {
    return (context, node, field) -> {
      context.visit(node, field);
      if (!(node instanceof ScalarNode scalar) || !isStringLike(scalar)) {
        String hint = node instanceof ScalarNode ? " (put it in quotes to use it as text)" : "";
        context.problem(
            node, field, "expected " + rule.expected() + ", got " + describe(node) + hint);
        return Optional.empty();
      }
      Optional<String> refused = rule.problem(scalar.getValue());
      if (refused.isPresent()) {
        context.problem(
            node, field, "expected " + rule.expected() + ", got " + describe(node) + refused.get());
        return Optional.empty();
      }
      return Optional.of(rule.normalize().apply(scalar.getValue()));
    };
  }

  /** A whole number from {@code min} to {@code max}. */
  static ValueReader<Integer> integer(int min, int max) {
    return (context, node, field) -> {
      context.visit(node, field);
      Optional<BigInteger> value =
          node instanceof ScalarNode s && s.getTag().equals(Tag.INT)
              ? parseInteger(s.getValue())
              : Optional.empty();
      if (value.isEmpty()
          || value.get().compareTo(BigInteger.valueOf(min)) < 0
          || value.get().compareTo(BigInteger.valueOf(max)) > 0) {
        context.problem(
            node,
            field,
            "expected a whole number from " + min + " to " + max + ", got " + describe(node));
        return Optional.empty();
      }
      return Optional.of(value.get().intValueExact());
    };
  }

  /** A percentage from 0 to 100, fractions allowed. */
  static ValueReader<Double> percent() {
    return (context, node, field) -> {
      context.visit(node, field);
      Optional<BigDecimal> value = number(node);
      if (value.isEmpty()
          || value.get().signum() < 0
          || value.get().compareTo(BigDecimal.valueOf(100)) > 0) {
        context.problem(node, field, "expected a percentage from 0 to 100, got " + describe(node));
        return Optional.empty();
      }
      return Optional.of(value.get().doubleValue());
    };
  }

  /** A number greater than 0 and at most {@code max}, fractions allowed. */
  static ValueReader<Double> positiveNumber(int max) {
    return (context, node, field) -> {
      context.visit(node, field);
      Optional<BigDecimal> value = number(node);
      if (value.isEmpty()
          || value.get().signum() <= 0
          || value.get().compareTo(BigDecimal.valueOf(max)) > 0) {
        context.problem(
            node,
            field,
            "expected a number greater than 0 and at most " + max + ", got " + describe(node));
        return Optional.empty();
      }
      return Optional.of(value.get().doubleValue());
    };
  }

  /** A number from {@code min} to {@code max}, fractions allowed. */
  static ValueReader<Double> number(BigDecimal min, BigDecimal max) {
    String expected =
        "expected a number from " + min.toPlainString() + " to " + max.toPlainString() + ", got ";
    return (context, node, field) -> {
      context.visit(node, field);
      Optional<BigDecimal> value = number(node);
      if (value.isEmpty() || value.get().compareTo(min) < 0 || value.get().compareTo(max) > 0) {
        context.problem(node, field, expected + describe(node));
        return Optional.empty();
      }
      return Optional.of(value.get().doubleValue());
    };
  }

  /** A number from {@code min} to {@code max}, fractions allowed, such as a ratio. */
  static ValueReader<Double> number(double min, double max) {
    return number(BigDecimal.valueOf(min), BigDecimal.valueOf(max));
  }

  /** A duration of at least {@code min} (zero, or one nanosecond for "positive"). */
  static ValueReader<Duration> duration(Duration min) {
    return (context, node, field) -> {
      context.visit(node, field);
      Optional<Duration> value =
          node instanceof ScalarNode s && (isStringLike(s) || s.getTag().equals(Tag.INT))
              ? Durations.parse(s.getValue())
              : Optional.empty();
      if (value.isEmpty()) {
        context.problem(
            node,
            field,
            "expected a duration such as 250ms, 1.5s, 2m or 1h (at most "
                + Durations.format(Durations.MAX)
                + "), got "
                + describe(node));
        return Optional.empty();
      }
      if (value.get().compareTo(min) < 0) {
        context.problem(node, field, "expected a duration greater than 0, got " + describe(node));
        return Optional.empty();
      }
      return value;
    };
  }

  static ValueReader<Boolean> bool() {
    return (context, node, field) -> {
      context.visit(node, field);
      if (node instanceof ScalarNode s && s.getTag().equals(Tag.BOOL)) {
        return Optional.of(Boolean.parseBoolean(s.getValue().toLowerCase(Locale.ROOT)));
      }
      context.problem(node, field, "expected true or false, got " + describe(node));
      return Optional.empty();
    };
  }

  /**
   * One of the constants of an enum, by its wire name, ignoring case and treating '-' and '_' as
   * the same ({@code least-request} reads as {@code LEAST_REQUEST}).
   */
  static <E extends Enum<E>> ValueReader<E> oneOf(E[] constants, Function<E, String> wireName) {
    Map<String, E> byName = new LinkedHashMap<>();
    for (E constant : constants) {
      byName.put(fold(wireName.apply(constant)), constant);
    }
    List<String> names = Arrays.stream(constants).map(wireName).toList();
    String expected = "expected one of " + String.join(", ", names);
    return (context, node, field) -> {
      context.visit(node, field);
      if (node instanceof ScalarNode s && !s.getTag().equals(Tag.NULL)) {
        E found = byName.get(fold(s.getValue()));
        if (found != null) {
          return Optional.of(found);
        }
        context.problem(
            node, field, expected + ", got " + describe(node) + Spelling.hint(s.getValue(), names));
        return Optional.empty();
      }
      context.problem(node, field, expected + ", got " + describe(node));
      return Optional.empty();
    };
  }

  private static String fold(String name) {
    return name.toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /** A nested object read by {@code body}; unknown fields in it are reported afterwards. */
  static <T> ValueReader<T> object(Function<Fields, T> body) {
    return (context, node, field) ->
        Fields.of(context, node, field)
            .map(
                fields -> {
                  T value = body.apply(fields);
                  fields.finish();
                  return value;
                });
  }

  /**
   * A list whose elements are read by {@code element}; wrong elements are reported and left out.
   */
  static <T> ValueReader<List<T>> listOf(ValueReader<T> element) {
    return (context, node, field) -> {
      context.visit(node, field);
      if (!(node instanceof SequenceNode sequence)) {
        context.problem(node, field, "expected a list, got " + describe(node));
        return Optional.empty();
      }
      List<T> values = new ArrayList<>();
      List<Node> items = sequence.getValue();
      for (int i = 0; i < items.size(); i++) {
        String itemField = field + "[" + i + "]";
        context.record(itemField, items.get(i));
        element.read(context, items.get(i), itemField).ifPresent(values::add);
      }
      return Optional.of(values);
    };
  }

  /** A mapping of strings to strings, such as labels. */
  static ValueReader<Map<String, String>> stringMap(StringRule keys, StringRule values) {
    ValueReader<String> valueReader = string(values);
    return (context, node, field) -> {
      context.visit(node, field);
      if (!(node instanceof MappingNode mapping)) {
        context.problem(node, field, "expected a mapping, got " + describe(node));
        return Optional.empty();
      }
      Map<String, String> result = new LinkedHashMap<>();
      for (NodeTuple tuple : mapping.getValue()) {
        Optional<String> key = Fields.keyOf(tuple.getKeyNode());
        Optional<String> refused = key.flatMap(keys::problem);
        if (key.isEmpty() || refused.isPresent()) {
          context.problem(
              tuple.getKeyNode(),
              field,
              "expected " + keys.expected() + ", got " + describe(tuple.getKeyNode()));
          continue;
        }
        String entryField = Fields.child(field, key.get());
        context.record(entryField, tuple.getValueNode());
        if (result.containsKey(key.get())) {
          context.problem(tuple.getKeyNode(), entryField, "key set twice");
          continue;
        }
        valueReader
            .read(context, tuple.getValueNode(), entryField)
            .ifPresent(v -> result.put(key.get(), v));
      }
      return Optional.of(result);
    };
  }

  /**
   * A free-form tree (Config values): mappings with string keys, lists, strings, booleans, whole
   * numbers as {@link Long}, other numbers as {@link BigDecimal} exactly as written. Null and
   * non-finite numbers are refused, as JSON cannot carry them faithfully.
   */
  static ValueReader<Object> tree() {
    return (context, node, field) -> treeValue(context, node, field, 0);
  }

  /** A free-form tree whose top is a mapping. */
  static ValueReader<Map<String, Object>> treeMap() {
    return (context, node, field) -> {
      if (!(node instanceof MappingNode)) {
        context.visit(node, field);
        context.problem(node, field, "expected a mapping, got " + describe(node));
        return Optional.empty();
      }
      return treeValue(context, node, field, 0).map(Values::asMap);
    };
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> asMap(Object tree) {
    return (Map<String, Object>) tree;
  }

  private static Optional<Object> treeValue(
      ReadContext context, Node node, String field, int depth) {
    context.visit(node, field);
    if (depth > MAX_TREE_DEPTH) {
      context.problem(node, field, "nested deeper than " + MAX_TREE_DEPTH + " levels");
      return Optional.empty();
    }
    switch (node) {
      case MappingNode mapping -> {
        Map<String, Object> map = new HashMap<>();
        for (NodeTuple tuple : mapping.getValue()) {
          Optional<String> key = Fields.keyOf(tuple.getKeyNode());
          if (key.isEmpty()) {
            context.problem(
                tuple.getKeyNode(), field, "expected a key, got " + describe(tuple.getKeyNode()));
            continue;
          }
          String entryField = Fields.child(field, key.get());
          context.record(entryField, tuple.getValueNode());
          if (map.containsKey(key.get())) {
            context.problem(tuple.getKeyNode(), entryField, "key set twice");
            continue;
          }
          treeValue(context, tuple.getValueNode(), entryField, depth + 1)
              .ifPresent(v -> map.put(key.get(), v));
        }
        return Optional.of(Map.copyOf(map));
      }
      case SequenceNode sequence -> {
        List<Object> list = new ArrayList<>();
        List<Node> items = sequence.getValue();
        for (int i = 0; i < items.size(); i++) {
          String itemField = field + "[" + i + "]";
          context.record(itemField, items.get(i));
          treeValue(context, items.get(i), itemField, depth + 1).ifPresent(list::add);
        }
        return Optional.of(List.copyOf(list));
      }
      case ScalarNode scalar -> {
        return scalarValue(context, scalar, field);
      }
      default -> {
        context.problem(node, field, "unsupported value " + describe(node));
        return Optional.empty();
      }
    }
  }

  private static Optional<Object> scalarValue(
      ReadContext context, ScalarNode scalar, String field) {
    Tag tag = scalar.getTag();
    if (tag.equals(Tag.STR)) {
      return Optional.of(scalar.getValue());
    }
    if (tag.equals(Tag.BOOL)) {
      return Optional.of(Boolean.parseBoolean(scalar.getValue().toLowerCase(Locale.ROOT)));
    }
    if (tag.equals(Tag.INT)) {
      Optional<BigInteger> value = parseInteger(scalar.getValue());
      if (value.isPresent() && value.get().bitLength() < 64) {
        return Optional.of(value.get().longValue());
      }
      context.problem(
          scalar,
          field,
          "expected a whole number from "
              + Long.MIN_VALUE
              + " to "
              + Long.MAX_VALUE
              + ", got "
              + describe(scalar));
      return Optional.empty();
    }
    if (tag.equals(Tag.FLOAT)) {
      Optional<BigDecimal> value = decimal(scalar.getValue());
      if (value.isEmpty()) {
        context.problem(scalar, field, "expected a finite number, got " + describe(scalar));
      }
      return value.map(v -> v);
    }
    if (tag.equals(Tag.NULL)) {
      context.problem(scalar, field, "null is not a value here; leave the key out instead");
      return Optional.empty();
    }
    context.problem(scalar, field, "unsupported tag " + tag.getValue());
    return Optional.empty();
  }

  /** A number, whole or not, as YAML's core schema resolves it. */
  private static Optional<BigDecimal> number(Node node) {
    if (node instanceof ScalarNode s) {
      if (s.getTag().equals(Tag.INT)) {
        return parseInteger(s.getValue()).map(BigDecimal::new);
      }
      if (s.getTag().equals(Tag.FLOAT)) {
        return decimal(s.getValue());
      }
    }
    return Optional.empty();
  }

  /** Core-schema integers: decimal with optional sign, {@code 0o} octal, {@code 0x} hex. */
  private static Optional<BigInteger> parseInteger(String text) {
    if (text.length() > 100) {
      return Optional.empty();
    }
    try {
      if (text.startsWith("0x")) {
        return Optional.of(new BigInteger(text.substring(2), 16));
      }
      if (text.startsWith("0o")) {
        return Optional.of(new BigInteger(text.substring(2), 8));
      }
      return Optional.of(new BigInteger(text));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  /** Core-schema floats other than .inf and .nan, exactly; absurd exponents are refused. */
  private static Optional<BigDecimal> decimal(String text) {
    if (text.length() > 100
        || text.contains("inf")
        || text.contains("Inf")
        || text.contains("INF")
        || text.toLowerCase(Locale.ROOT).contains("nan")) {
      return Optional.empty();
    }
    try {
      BigDecimal value = new BigDecimal(text);
      return Math.abs(value.scale()) > 1000 ? Optional.empty() : Optional.of(value);
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }
}
