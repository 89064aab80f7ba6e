package dev.firemesh.control.config;

import dev.firemesh.api.config.ConfigSchema;
import dev.firemesh.store.config.ConfigSchemas;
import dev.firemesh.store.config.StoredSchema;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The config schema each service published, parsed. Reads go to the store each time (another
 * replica may have taken a newer publication); parsing is done once per distinct digest.
 */
public final class PublishedSchemas {
  private final ConfigSchemas store;
  private final Map<String, ConfigSchema> parsed = new ConcurrentHashMap<>();

  /** A publication as stored, with the schema parsed. */
  public record Published(ConfigSchema schema, StoredSchema stored) {}

  public PublishedSchemas(ConfigSchemas store) {
    this.store = store;
  }

  /** The schema {@code service} published last, if it did. */
  public Optional<ConfigSchema> schema(String service) {
    return published(service).map(Published::schema);
  }

  public Optional<Published> published(String service) {
    return store
        .find(service)
        .map(
            stored ->
                new Published(
                    parsed.computeIfAbsent(
                        stored.digest(), d -> ConfigSchema.fromJson(stored.schema())),
                    stored));
  }

  /** Stores {@code schema} as its service's, replacing the one before. */
  public Published publish(ConfigSchema schema, String actor) {
    String json = schema.toJson();
    String digest = sha256(json);
    if (parsed.size() > 1024) {
      parsed.clear(); // bounded: schemas are parsed again on demand
    }
    parsed.put(digest, schema);
    return new Published(schema, store.publish(schema.service(), json, digest, actor));
  }

  static String sha256(String text) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
