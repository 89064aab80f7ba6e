package dev.firemesh.chassis.config;

import dev.firemesh.api.config.SchemaNode;
import java.util.List;

/**
 * What one place of a config record holds, derived once from the record's types and annotations:
 * how to read it from a {@code Config}'s values, how to write a Java value back in that form (for
 * defaults), and its published schema.
 */
sealed interface ValueShape permits ScalarShape, ListShape, RecordShape {

  /** The published form of this place. */
  SchemaNode node();

  /**
   * The Java value for {@code raw} (Long, BigDecimal, String, Boolean, List, Map), or {@code null}
   * after adding to {@code problems} why it cannot be one.
   */
  Object bind(Object raw, String path, List<ConfigProblem> problems);

  /** {@code value}, a Java value of this place, in the values' representation. */
  Object toValues(Object value);

  /** What a problem message calls a value of this place: "an integer", "a list". */
  String describe();

  static String kindOf(Object raw) {
    return switch (raw) {
      case String s -> "a string";
      case Boolean b -> "a boolean";
      case Number n -> "a number";
      case List<?> l -> "a list";
      case java.util.Map<?, ?> m -> "an object";
      default -> "a " + raw.getClass().getSimpleName();
    };
  }
}
