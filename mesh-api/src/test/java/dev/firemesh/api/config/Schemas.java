package dev.firemesh.api.config;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Schema nodes for tests, built the way the chassis would publish them. */
final class Schemas {
  private Schemas() {}

  static SchemaNode leaf(SchemaType type) {
    return new SchemaNode(
        type,
        false,
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        List.of(),
        Optional.empty(),
        Map.of());
  }

  static SchemaNode required(SchemaType type) {
    SchemaNode n = leaf(type);
    return new SchemaNode(
        type,
        true,
        n.defaultValue(),
        n.min(),
        n.max(),
        n.pattern(),
        n.minSize(),
        n.maxSize(),
        n.values(),
        n.element(),
        n.fields());
  }

  static SchemaNode withDefault(SchemaType type, Object value) {
    SchemaNode n = leaf(type);
    return new SchemaNode(
        type,
        false,
        Optional.of(value),
        n.min(),
        n.max(),
        n.pattern(),
        n.minSize(),
        n.maxSize(),
        n.values(),
        n.element(),
        n.fields());
  }

  static SchemaNode range(SchemaType type, long min, long max) {
    SchemaNode n = leaf(type);
    return new SchemaNode(
        type,
        false,
        Optional.empty(),
        Optional.of(BigDecimal.valueOf(min)),
        Optional.of(BigDecimal.valueOf(max)),
        n.pattern(),
        n.minSize(),
        n.maxSize(),
        n.values(),
        n.element(),
        n.fields());
  }

  static SchemaNode pattern(String regex) {
    SchemaNode n = leaf(SchemaType.STRING);
    return new SchemaNode(
        SchemaType.STRING,
        false,
        Optional.empty(),
        n.min(),
        n.max(),
        Optional.of(regex),
        n.minSize(),
        n.maxSize(),
        n.values(),
        n.element(),
        n.fields());
  }

  static SchemaNode oneOf(String... names) {
    SchemaNode n = leaf(SchemaType.STRING);
    return new SchemaNode(
        SchemaType.ENUM,
        false,
        Optional.empty(),
        n.min(),
        n.max(),
        n.pattern(),
        n.minSize(),
        n.maxSize(),
        List.of(names),
        n.element(),
        n.fields());
  }

  static SchemaNode list(SchemaNode element, int minSize, int maxSize) {
    return new SchemaNode(
        SchemaType.LIST,
        false,
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.of(minSize),
        Optional.of(maxSize),
        List.of(),
        Optional.of(element),
        Map.of());
  }

  static SchemaNode object(Map<String, SchemaNode> fields) {
    return new SchemaNode(
        SchemaType.OBJECT,
        false,
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        List.of(),
        Optional.empty(),
        fields);
  }

  /** The orders service's schema, as in the docs. */
  static ConfigSchema orders() {
    return new ConfigSchema(
        "orders",
        object(
            Map.of(
                "limits",
                object(
                    Map.of(
                        "maxQuantity", range(SchemaType.INTEGER, 1, 1_000_000),
                        "maxNotional", required(SchemaType.DECIMAL),
                        "timeout", withDefault(SchemaType.DURATION, "250ms"))),
                "venues",
                list(pattern("X[A-Z]{3}"), 1, 10),
                "mode",
                oneOf("LIVE", "PAPER"),
                "apiKey",
                leaf(SchemaType.SECRET),
                "killSwitch",
                withDefault(SchemaType.BOOLEAN, false))));
  }
}
