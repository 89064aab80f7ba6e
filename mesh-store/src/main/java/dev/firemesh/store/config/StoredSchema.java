package dev.firemesh.store.config;

import java.time.Instant;
import java.util.Objects;

/**
 * A published config schema.
 *
 * @param schema its JSON form
 * @param digest SHA-256 of the JSON form, lower-case hex
 * @param publishedBy the principal that published it, as revisions name actors
 */
public record StoredSchema(
    String service, String schema, String digest, Instant publishedAt, String publishedBy) {
  public StoredSchema {
    Objects.requireNonNull(service, "service");
    Objects.requireNonNull(schema, "schema");
    Objects.requireNonNull(digest, "digest");
    Objects.requireNonNull(publishedAt, "publishedAt");
    Objects.requireNonNull(publishedBy, "publishedBy");
  }
}
