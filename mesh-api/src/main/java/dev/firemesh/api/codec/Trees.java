package dev.firemesh.api.codec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Building blocks for the canonical tree: maps sorted by key, numbers in one form each. */
final class Trees {

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private Trees() {}

  static ObjectNode object() {
    return NODES.objectNode();
  }

  static ArrayNode array() {
    return NODES.arrayNode();
  }

  static JsonNode duration(Duration duration) {
    return NODES.textNode(Durations.format(duration));
  }

  /** Whole percentages as integers ({@code 10}, not {@code 10.0}); both read back the same. */
  static JsonNode percent(double percent) {
    if (percent == Math.rint(percent) && Math.abs(percent) < 1e15) {
      return NODES.numberNode((long) percent);
    }
    return NODES.numberNode(percent);
  }

  /** A number, whole ones as integers ({@code 100}, not {@code 100.0}). */
  static JsonNode number(double value) {
    return percent(value);
  }

  static ArrayNode strings(List<String> values) {
    ArrayNode array = array();
    values.forEach(array::add);
    return array;
  }

  static ObjectNode stringMap(Map<String, String> map) {
    ObjectNode object = object();
    new TreeMap<>(map).forEach(object::put);
    return object;
  }

  /** Config values: maps sorted by key, Long and BigDecimal (kept exactly) as numbers. */
  static JsonNode value(Object value) {
    return switch (value) {
      case String s -> NODES.textNode(s);
      case Boolean b -> NODES.booleanNode(b);
      case Long l -> NODES.numberNode(l);
      case BigDecimal d -> DecimalNode.valueOf(d);
      case List<?> list -> {
        ArrayNode array = array();
        list.forEach(v -> array.add(value(v)));
        yield array;
      }
      case Map<?, ?> map -> {
        ObjectNode object = object();
        new TreeMap<>(map).forEach((k, v) -> object.set((String) k, value(v)));
        yield object;
      }
      default -> throw new IllegalArgumentException("not a config value: " + value.getClass());
    };
  }

  /** Puts {@code child} unless it is an empty object or array. */
  static void putUnlessEmpty(ObjectNode parent, String key, JsonNode child) {
    if (!child.isEmpty()) {
      parent.set(key, child);
    }
  }
}
