package dev.firemesh.api.config;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What one place of a service's configuration may hold: its type, whether the service has a default
 * for it (a value without a default must be set by some layer), and the constraints the service
 * declared. An {@code OBJECT} has {@code fields}; a {@code LIST} has its {@code element}.
 *
 * <p>JSON form (published by the chassis, stored by the control plane): {@code {"type":"integer",
 * "required":false, "default":100, "min":1, "max":1000000}}; {@code "pattern"}, {@code "minSize"},
 * {@code "maxSize"}, {@code "values"} (an enum's), {@code "element"} and {@code "fields"} where
 * they apply; absent means no constraint.
 *
 * @param defaultValue the default in code, in the {@code Config} values' representation (Long,
 *     BigDecimal, String, Boolean, List, Map); empty when there is none or it is not representable
 *     (a secret's)
 * @param min for numbers the least value, for durations the least length in milliseconds
 * @param max likewise, the greatest
 * @param pattern a regular expression a whole string (or enum name) must match
 * @param minSize for strings their length, for lists their size
 * @param values the names an enum may take, in declaration order
 */
public record SchemaNode(
    SchemaType type,
    boolean required,
    Optional<Object> defaultValue,
    Optional<BigDecimal> min,
    Optional<BigDecimal> max,
    Optional<String> pattern,
    Optional<Integer> minSize,
    Optional<Integer> maxSize,
    List<String> values,
    Optional<SchemaNode> element,
    Map<String, SchemaNode> fields) {

  public SchemaNode {
    Objects.requireNonNull(type, "type");
    values = List.copyOf(values);
    fields = Map.copyOf(fields);
    if (type == SchemaType.LIST && element.isEmpty()) {
      throw new IllegalArgumentException("a list schema needs its element's");
    }
    if (type != SchemaType.OBJECT && !fields.isEmpty()) {
      throw new IllegalArgumentException("only an object schema has fields");
    }
    if (type == SchemaType.ENUM && values.isEmpty()) {
      throw new IllegalArgumentException("an enum schema needs its values");
    }
  }
}
