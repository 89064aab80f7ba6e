package dev.firemesh.chassis.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.firemesh.api.config.ConfigSchema;
import dev.firemesh.api.config.SchemaNode;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The JSON form of a {@link ConfigSchema} that the chassis publishes ({@code PUT
 * /v1/config-schemas/{service}}), as {@code api.config.SchemaNode} documents it: {@code
 * {"service":"orders","root":{"type":"object","required":false,"fields":{...}}}}. Keys are written
 * in a fixed order (fields by name), so the same schema is always the same text.
 */
public final class SchemaJson {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final ObjectMapper JSON =
      JsonMapper.builder().enable(StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN).build();

  private SchemaJson() {}

  public static String write(ConfigSchema schema) {
    ObjectNode root = NODES.objectNode();
    root.put("service", schema.service());
    root.set("root", node(schema.root()));
    try {
      return JSON.writeValueAsString(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a tree of plain nodes always writes", e);
    }
  }

  static ObjectNode node(SchemaNode node) {
    ObjectNode json = NODES.objectNode();
    json.put("type", node.type().jsonName());
    json.put("required", node.required());
    node.defaultValue().ifPresent(value -> json.set("default", value(value)));
    node.min().ifPresent(min -> json.set("min", DecimalNode.valueOf(min)));
    node.max().ifPresent(max -> json.set("max", DecimalNode.valueOf(max)));
    node.pattern().ifPresent(pattern -> json.put("pattern", pattern));
    node.minSize().ifPresent(size -> json.put("minSize", size));
    node.maxSize().ifPresent(size -> json.put("maxSize", size));
    if (!node.values().isEmpty()) {
      ArrayNode values = json.putArray("values");
      node.values().forEach(values::add);
    }
    node.element().ifPresent(element -> json.set("element", node(element)));
    if (!node.fields().isEmpty()) {
      ObjectNode fields = json.putObject("fields");
      new TreeMap<>(node.fields()).forEach((name, field) -> fields.set(name, node(field)));
    }
    return json;
  }

  private static com.fasterxml.jackson.databind.JsonNode value(Object value) {
    return switch (value) {
      case String text -> NODES.textNode(text);
      case Boolean flag -> NODES.booleanNode(flag);
      case Long number -> NODES.numberNode(number);
      case Integer number -> NODES.numberNode(number);
      // As written: 5000000.00 stays 5000000.00, not 5E+6.
      case BigDecimal number -> DecimalNode.valueOf(number);
      case List<?> items -> {
        ArrayNode array = NODES.arrayNode();
        items.forEach(item -> array.add(value(item)));
        yield array;
      }
      case Map<?, ?> map -> {
        ObjectNode object = NODES.objectNode();
        new TreeMap<>(map).forEach((key, item) -> object.set(String.valueOf(key), value(item)));
        yield object;
      }
      default ->
          throw new IllegalArgumentException("not a config value: " + value.getClass().getName());
    };
  }
}
