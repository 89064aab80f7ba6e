package dev.firemesh.api.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.firemesh.api.validation.Problem;
import dev.firemesh.api.validation.Problems;
import dev.firemesh.api.validation.SourcePosition;
import dev.firemesh.api.validation.Spelling;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The JSON form of a {@link ConfigSchema}, read strictly: an unknown key, a value of the wrong
 * type, a constraint on a type it cannot apply to (a {@code min} on a string), a pattern that does
 * not compile or a default the node itself refuses is a problem naming its path. A schema comes
 * from a service's code, so a mistake there should stop its publication loudly rather than be
 * half-understood by the control plane.
 */
final class SchemaJson {
  static final int MAX_DEPTH = 32;

  private static final ObjectMapper JSON =
      JsonMapper.builder()
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .nodeFactory(JsonNodeFactory.withExactBigDecimals(true))
          .build();

  private static final List<String> TOP_KEYS = List.of("service", "root");
  private static final List<String> NODE_KEYS =
      List.of(
          "type",
          "required",
          "default",
          "min",
          "max",
          "pattern",
          "minSize",
          "maxSize",
          "values",
          "element",
          "fields");
  private static final Set<SchemaType> RANGED =
      EnumSet.of(SchemaType.INTEGER, SchemaType.DECIMAL, SchemaType.DURATION);
  private static final Set<SchemaType> PATTERNED = EnumSet.of(SchemaType.STRING, SchemaType.ENUM);
  private static final Set<SchemaType> SIZED = EnumSet.of(SchemaType.STRING, SchemaType.LIST);
  private static final Pattern SERVICE = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");

  private SchemaJson() {}

  static ConfigSchema read(String text) {
    JsonNode tree;
    try {
      tree = JSON.readTree(text);
    } catch (JsonProcessingException e) {
      throw invalid("", "not JSON: " + e.getOriginalMessage());
    }
    if (tree == null || !tree.isObject()) {
      throw invalid("", "a config schema is a JSON object {\"service\", \"root\"}");
    }
    Problems problems = new Problems();
    unknownKeys(tree, "", TOP_KEYS, problems);
    JsonNode service = tree.path("service");
    if (!service.isTextual() || !SERVICE.matcher(service.asText()).matches()) {
      problems.add(
          SourcePosition.NONE,
          "service",
          "expected a service name (a DNS label: a-z 0-9 -, at most 63), got " + show(service));
    }
    Optional<SchemaNode> root = Optional.empty();
    if (!tree.has("root")) {
      problems.add(SourcePosition.NONE, "root", "required: the schema of the config record");
    } else {
      root = node(tree.get("root"), "root", 0, problems);
      if (root.isPresent() && root.get().type() != SchemaType.OBJECT) {
        problems.add(
            SourcePosition.NONE, "root.type", "the root is an object, not " + root.get().type());
      }
    }
    if (!problems.isEmpty()) {
      throw new InvalidSchemaException(problems.list());
    }
    return new ConfigSchema(service.asText(), root.orElseThrow());
  }

  private static Optional<SchemaNode> node(JsonNode json, String path, int depth, Problems out) {
    if (!json.isObject()) {
      out.add(SourcePosition.NONE, path, "expected an object {\"type\", ...}, got " + show(json));
      return Optional.empty();
    }
    if (depth > MAX_DEPTH) {
      out.add(SourcePosition.NONE, path, "nested deeper than " + MAX_DEPTH + " levels");
      return Optional.empty();
    }
    int before = out.list().size() + out.omitted();
    unknownKeys(json, path, NODE_KEYS, out);
    Optional<SchemaType> type = type(json.path("type"), child(path, "type"), out);
    if (type.isEmpty()) {
      return Optional.empty();
    }
    SchemaType t = type.get();
    boolean required = false;
    if (json.has("required")) {
      if (json.get("required").isBoolean()) {
        required = json.get("required").booleanValue();
      } else {
        out.add(
            SourcePosition.NONE,
            child(path, "required"),
            "expected true or false, got " + show(json.get("required")));
      }
    }
    Optional<BigDecimal> min = number(json, "min", path, t, out);
    Optional<BigDecimal> max = number(json, "max", path, t, out);
    if (min.isPresent() && max.isPresent() && min.get().compareTo(max.get()) > 0) {
      out.add(SourcePosition.NONE, child(path, "max"), "is less than min " + min.get());
    }
    Optional<String> pattern = Optional.empty();
    if (json.has("pattern")) {
      String at = child(path, "pattern");
      JsonNode p = json.get("pattern");
      if (!PATTERNED.contains(t)) {
        out.add(SourcePosition.NONE, at, "applies to string and enum, not " + t.jsonName());
      } else if (!p.isTextual()) {
        out.add(SourcePosition.NONE, at, "expected a regular expression, got " + show(p));
      } else {
        try {
          Pattern.compile(p.asText());
          pattern = Optional.of(p.asText());
        } catch (PatternSyntaxException e) {
          out.add(SourcePosition.NONE, at, "not a regular expression: " + e.getDescription());
        }
      }
    }
    Optional<Integer> minSize = size(json, "minSize", path, t, out);
    Optional<Integer> maxSize = size(json, "maxSize", path, t, out);
    if (minSize.isPresent() && maxSize.isPresent() && minSize.get() > maxSize.get()) {
      out.add(SourcePosition.NONE, child(path, "maxSize"), "is less than minSize " + minSize.get());
    }
    List<String> values = new ArrayList<>();
    if (json.has("values") || t == SchemaType.ENUM) {
      String at = child(path, "values");
      JsonNode v = json.path("values");
      if (t != SchemaType.ENUM) {
        out.add(SourcePosition.NONE, at, "only an enum has values, not " + t.jsonName());
      } else if (!v.isArray() || v.isEmpty()) {
        out.add(SourcePosition.NONE, at, "an enum needs its names: a non-empty list of strings");
      } else {
        for (int i = 0; i < v.size(); i++) {
          if (!v.get(i).isTextual() || v.get(i).asText().isEmpty()) {
            out.add(
                SourcePosition.NONE, at + "[" + i + "]", "expected a name, got " + show(v.get(i)));
          } else if (values.contains(v.get(i).asText())) {
            out.add(SourcePosition.NONE, at + "[" + i + "]", "listed twice");
          } else {
            values.add(v.get(i).asText());
          }
        }
      }
    }
    Optional<SchemaNode> element = Optional.empty();
    if (json.has("element") || t == SchemaType.LIST) {
      String at = child(path, "element");
      if (t != SchemaType.LIST) {
        out.add(SourcePosition.NONE, at, "only a list has an element, not " + t.jsonName());
      } else if (!json.has("element")) {
        out.add(SourcePosition.NONE, at, "required: the schema of the list's elements");
      } else {
        element = node(json.get("element"), at, depth + 1, out);
      }
    }
    Map<String, SchemaNode> fields = new HashMap<>();
    if (json.has("fields")) {
      String at = child(path, "fields");
      JsonNode f = json.get("fields");
      if (t != SchemaType.OBJECT) {
        out.add(SourcePosition.NONE, at, "only an object has fields, not " + t.jsonName());
      } else if (!f.isObject()) {
        out.add(SourcePosition.NONE, at, "expected an object of field schemas, got " + show(f));
      } else {
        for (Iterator<Map.Entry<String, JsonNode>> it = f.fields(); it.hasNext(); ) {
          Map.Entry<String, JsonNode> e = it.next();
          String fieldAt = child(at, e.getKey());
          if (e.getKey().isEmpty()) {
            out.add(SourcePosition.NONE, at, "a field name is empty");
            continue;
          }
          node(e.getValue(), fieldAt, depth + 1, out).ifPresent(n -> fields.put(e.getKey(), n));
        }
      }
    }
    Optional<Object> defaultValue = Optional.empty();
    if (json.has("default")) {
      Optional<Object> value = ValueTrees.fromJson(json.get("default"));
      if (value.isEmpty()) {
        out.add(
            SourcePosition.NONE,
            child(path, "default"),
            "expected a value (no null; whole numbers within 64 bits), got "
                + show(json.get("default")));
      } else {
        defaultValue = value;
      }
    }
    if (out.list().size() + out.omitted() > before) {
      return Optional.empty();
    }
    SchemaNode node;
    try {
      node =
          new SchemaNode(
              t,
              required,
              defaultValue,
              min,
              max,
              pattern,
              minSize,
              maxSize,
              values,
              element,
              fields);
    } catch (IllegalArgumentException e) {
      out.add(SourcePosition.NONE, path, e.getMessage());
      return Optional.empty();
    }
    if (defaultValue.isPresent()) {
      for (Problem p : SchemaCheck.checkValue(node, defaultValue.get(), child(path, "default"))) {
        out.add(p);
      }
    }
    return Optional.of(node);
  }

  private static Optional<SchemaType> type(JsonNode json, String path, Problems out) {
    List<String> names = new ArrayList<>();
    for (SchemaType t : SchemaType.values()) {
      names.add(t.jsonName());
    }
    if (json.isTextual()) {
      for (SchemaType t : SchemaType.values()) {
        if (t.jsonName().equals(json.asText())) {
          return Optional.of(t);
        }
      }
      out.add(
          SourcePosition.NONE,
          path,
          "unknown type " + show(json) + Spelling.hint(json.asText(), names) + "; one of " + names);
      return Optional.empty();
    }
    out.add(SourcePosition.NONE, path, "required: one of " + names + ", got " + show(json));
    return Optional.empty();
  }

  private static Optional<BigDecimal> number(
      JsonNode json, String key, String path, SchemaType type, Problems out) {
    if (!json.has(key)) {
      return Optional.empty();
    }
    String at = child(path, key);
    JsonNode n = json.get(key);
    if (!RANGED.contains(type)) {
      out.add(
          SourcePosition.NONE,
          at,
          "applies to integer, decimal and duration (in milliseconds), not " + type.jsonName());
      return Optional.empty();
    }
    if (!n.isNumber()) {
      out.add(SourcePosition.NONE, at, "expected a number, got " + show(n));
      return Optional.empty();
    }
    return Optional.of(n.decimalValue());
  }

  private static Optional<Integer> size(
      JsonNode json, String key, String path, SchemaType type, Problems out) {
    if (!json.has(key)) {
      return Optional.empty();
    }
    String at = child(path, key);
    JsonNode n = json.get(key);
    if (!SIZED.contains(type)) {
      out.add(SourcePosition.NONE, at, "applies to string and list, not " + type.jsonName());
      return Optional.empty();
    }
    if (!n.isIntegralNumber() || !n.canConvertToInt() || n.intValue() < 0) {
      out.add(SourcePosition.NONE, at, "expected a whole number from 0, got " + show(n));
      return Optional.empty();
    }
    return Optional.of(n.intValue());
  }

  private static void unknownKeys(JsonNode json, String path, List<String> known, Problems out) {
    for (Iterator<String> it = json.fieldNames(); it.hasNext(); ) {
      String key = it.next();
      if (!known.contains(key)) {
        out.add(
            SourcePosition.NONE,
            child(path, key),
            "unknown key" + Spelling.hint(key, known) + "; expected one of " + known);
      }
    }
  }

  static String write(ConfigSchema schema) {
    ObjectNode top = JSON.createObjectNode().put("service", schema.service());
    top.set("root", write(schema.root()));
    try {
      return JSON.writeValueAsString(top);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a schema tree always writes", e);
    }
  }

  private static ObjectNode write(SchemaNode node) {
    ObjectNode json = JSON.createObjectNode().put("type", node.type().jsonName());
    json.put("required", node.required());
    node.defaultValue().ifPresent(v -> json.set("default", ValueTrees.toJson(v)));
    node.min().ifPresent(v -> json.put("min", v));
    node.max().ifPresent(v -> json.put("max", v));
    node.pattern().ifPresent(v -> json.put("pattern", v));
    node.minSize().ifPresent(v -> json.put("minSize", v));
    node.maxSize().ifPresent(v -> json.put("maxSize", v));
    if (!node.values().isEmpty()) {
      ArrayNode values = json.putArray("values");
      node.values().forEach(values::add);
    }
    node.element().ifPresent(e -> json.set("element", write(e)));
    if (node.type() == SchemaType.OBJECT) {
      ObjectNode fields = json.putObject("fields");
      new TreeMap<>(node.fields()).forEach((name, field) -> fields.set(name, write(field)));
    }
    return json;
  }

  static String child(String path, String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  private static String show(JsonNode node) {
    if (node.isMissingNode()) {
      return "nothing";
    }
    String text = node.toString();
    return text.length() > 60 ? text.substring(0, 57) + "..." : text;
  }

  private static InvalidSchemaException invalid(String field, String message) {
    return new InvalidSchemaException(List.of(new Problem(SourcePosition.NONE, field, message)));
  }

  /** Values in the {@code Config} representation, to and from JSON trees. */
  static final class ValueTrees {
    private ValueTrees() {}

    static Optional<Object> fromJson(JsonNode json) {
      if (json.isTextual()) {
        return Optional.of(json.asText());
      }
      if (json.isBoolean()) {
        return Optional.of(json.booleanValue());
      }
      if (json.isIntegralNumber()) {
        BigInteger i = json.bigIntegerValue();
        return i.bitLength() < 64 ? Optional.of(i.longValue()) : Optional.empty();
      }
      if (json.isNumber()) {
        BigDecimal d = json.decimalValue();
        return Optional.of(d.scale() == 0 ? d.setScale(1) : d);
      }
      if (json.isArray()) {
        List<Object> list = new ArrayList<>();
        for (JsonNode item : json) {
          Optional<Object> v = fromJson(item);
          if (v.isEmpty()) {
            return Optional.empty();
          }
          list.add(v.get());
        }
        return Optional.of(List.copyOf(list));
      }
      if (json.isObject()) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = json.fields(); it.hasNext(); ) {
          Map.Entry<String, JsonNode> e = it.next();
          Optional<Object> v = fromJson(e.getValue());
          if (v.isEmpty()) {
            return Optional.empty();
          }
          map.put(e.getKey(), v.get());
        }
        return Optional.of(Map.copyOf(map));
      }
      return Optional.empty();
    }

    static JsonNode toJson(Object value) {
      JsonNodeFactory f = JSON.getNodeFactory();
      return switch (value) {
        case String s -> f.textNode(s);
        case Boolean b -> f.booleanNode(b);
        case Long l -> f.numberNode(l);
        case Integer i -> f.numberNode(i.longValue());
        case BigDecimal d -> f.numberNode(d);
        case List<?> list -> {
          ArrayNode array = f.arrayNode();
          list.forEach(item -> array.add(toJson(item)));
          yield array;
        }
        case Map<?, ?> map -> {
          ObjectNode object = f.objectNode();
          new TreeMap<>(map).forEach((k, v) -> object.set(String.valueOf(k), toJson(v)));
          yield object;
        }
        default ->
            throw new IllegalArgumentException(
                "not a config value: " + value.getClass().getName().toLowerCase(Locale.ROOT));
      };
    }
  }
}
