package dev.firemesh.api.config;

/**
 * The kinds of value a configuration schema knows, as written in a {@code Config}'s values:
 *
 * <ul>
 *   <li>{@code STRING}, {@code BOOLEAN}
 *   <li>{@code INTEGER}: a whole number (64-bit)
 *   <li>{@code DECIMAL}: any number, kept exactly
 *   <li>{@code DURATION}: a string such as {@code 250ms}, {@code 5s}, {@code 2m}, {@code 1h}
 *   <li>{@code ENUM}: a string among the schema's values
 *   <li>{@code SECRET}: a reference, {@code env:NAME} or {@code file:/absolute/path}, resolved
 *       inside the service; a plain value is refused so that no secret is stored in a Config
 *   <li>{@code LIST}, {@code OBJECT}
 * </ul>
 */
public enum SchemaType {
  STRING,
  BOOLEAN,
  INTEGER,
  DECIMAL,
  DURATION,
  ENUM,
  SECRET,
  LIST,
  OBJECT;

  /** The name in the JSON form: lower case. */
  public String jsonName() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
