package dev.firemesh.api.config;

import dev.firemesh.api.validation.Problem;
import dev.firemesh.api.validation.SourcePosition;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The shape of one service's configuration, derived by the chassis from the service's config record
 * and published to the control plane at start, so that {@code firemesh apply} can refuse values the
 * service could not bind. {@code root} is an {@code OBJECT}.
 *
 * <p>JSON form: {@code {"service":"orders","root":{"type":"object","fields":{...}}}}.
 */
public record ConfigSchema(String service, SchemaNode root) {
  /** Where a Config's values are in its document: the prefix of every problem's field. */
  public static final String VALUES_FIELD = "spec.values";

  public ConfigSchema {
    Objects.requireNonNull(service, "service");
    if (root.type() != SchemaType.OBJECT) {
      throw new IllegalArgumentException("a config schema's root is an object, not " + root.type());
    }
  }

  /**
   * Reads the JSON form strictly.
   *
   * @throws InvalidSchemaException naming the path of every problem
   */
  public static ConfigSchema fromJson(String json) {
    return SchemaJson.read(json);
  }

  /** The JSON form: fields sorted by name, every constraint present written. */
  public String toJson() {
    return SchemaJson.write(this);
  }

  /**
   * What the service could not bind in one {@code Config} layer's values: unknown keys, wrong
   * types, values out of range, against a pattern, of a wrong size, not among an enum's names, and
   * plain text where a secret reference is due. Required values are not asked of one layer (another
   * may set them): see {@link #missing}. Never throws for any tree of values.
   *
   * @return problems whose field is the path in the Config ({@code spec.values.limits.maxQuantity})
   */
  public List<Problem> check(Map<String, Object> values) {
    return check(values, field -> SourcePosition.NONE);
  }

  /**
   * As {@link #check(Map)}, each problem placed where {@code positions} says its field was written
   * (such as {@code ParsedResource::positionOf}).
   */
  public List<Problem> check(
      Map<String, Object> values, Function<String, SourcePosition> positions) {
    return SchemaCheck.checkObject(root, values, VALUES_FIELD, positions);
  }

  /**
   * The required values that the merged {@code values} of every layer leave unset, as paths
   * relative to the values ({@code limits.maxQuantity}), sorted.
   */
  public List<String> missing(Map<String, Object> values) {
    return SchemaCheck.missing(root, values);
  }

  /**
   * The defaults in code as a values tree: the layer below every {@code Config}. An object field
   * without a default of its own contributes its fields' defaults.
   */
  public Map<String, Object> defaults() {
    return defaults(root);
  }

  private static Map<String, Object> defaults(SchemaNode object) {
    Map<String, Object> tree = new LinkedHashMap<>();
    for (Map.Entry<String, SchemaNode> e : new TreeMap<>(object.fields()).entrySet()) {
      SchemaNode field = e.getValue();
      if (field.defaultValue().isPresent()) {
        tree.put(e.getKey(), field.defaultValue().get());
      } else if (field.type() == SchemaType.OBJECT) {
        Map<String, Object> nested = defaults(field);
        if (!nested.isEmpty()) {
          tree.put(e.getKey(), nested);
        }
      }
    }
    return Map.copyOf(tree);
  }

  /**
   * Whether {@code text} is a secret reference, {@code env:NAME} or {@code file:/absolute/path}.
   */
  public static boolean isSecretReference(String text) {
    return SchemaCheck.isSecretReference(text);
  }
}
