package dev.firemesh.chassis.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One configuration document as the control plane computes it for a node (see "Config over RTDS" in
 * docs/architecture.md): {@code {"service","environment","region","instance","revision",
 * "values":{...},"sources":{"a.b":"Config/orders-prod"}}}. {@code text} is the document exactly as
 * received, which is what {@code digest} (SHA-256, hex) covers and what the cache keeps.
 *
 * @param values the merged values: numbers as Long (whole) or BigDecimal, so {@code 5000000.00}
 *     stays a decimal
 * @param sources per leaf path, the Config that set it
 */
record ConfigDocument(
    String service,
    String environment,
    String region,
    String instance,
    long revision,
    Map<String, Object> values,
    Map<String, String> sources,
    String text,
    String digest) {

  private static final ObjectMapper JSON =
      JsonMapper.builder()
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .enable(DeserializationFeature.USE_LONG_FOR_INTS)
          .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
          .build();

  ConfigDocument {
    Objects.requireNonNull(service, "service");
    Objects.requireNonNull(environment, "environment");
    Objects.requireNonNull(region, "region");
    Objects.requireNonNull(instance, "instance");
    values = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(values));
    sources = Map.copyOf(sources);
    Objects.requireNonNull(text, "text");
    Objects.requireNonNull(digest, "digest");
  }

  /**
   * Reads a document's text.
   *
   * @throws InvalidConfigDocumentException when it is not JSON of the agreed shape
   */
  static ConfigDocument parse(String text) {
    Map<String, Object> json;
    try {
      json = JSON.readValue(text, new TypeReference<LinkedHashMap<String, Object>>() {});
    } catch (JsonProcessingException e) {
      throw new InvalidConfigDocumentException(
          "the config document is not JSON: " + e.getOriginalMessage());
    }
    if (json == null) {
      throw new InvalidConfigDocumentException("the config document is not a JSON object");
    }
    Map<String, Object> values = object(json, "values");
    Map<String, String> sources = new LinkedHashMap<>();
    object(json, "sources")
        .forEach(
            (path, source) -> {
              if (!(source instanceof String name)) {
                throw new InvalidConfigDocumentException(
                    "the config document's sources." + path + " is not a string");
              }
              sources.put(path, name);
            });
    if (!(json.get("revision") instanceof Long revision)) {
      throw new InvalidConfigDocumentException(
          "the config document's revision is missing or not a whole number");
    }
    return new ConfigDocument(
        string(json, "service"),
        string(json, "environment"),
        string(json, "region"),
        string(json, "instance"),
        revision,
        values,
        sources,
        text,
        digest(text));
  }

  /** SHA-256 of the text's UTF-8 bytes, lower-case hex: what the control plane puts beside it. */
  static String digest(String text) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK provides SHA-256", e);
    }
  }

  private static String string(Map<String, Object> json, String key) {
    Object value = json.getOrDefault(key, "");
    if (!(value instanceof String text)) {
      throw new InvalidConfigDocumentException("the config document's " + key + " is not a string");
    }
    return text;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> object(Map<String, Object> json, String key) {
    Object value = json.getOrDefault(key, Map.of());
    if (!(value instanceof Map<?, ?>)) {
      throw new InvalidConfigDocumentException(
          "the config document's " + key + " is not an object");
    }
    return (Map<String, Object>) value;
  }
}
