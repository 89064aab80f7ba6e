package dev.firemesh.chassis.events;

/**
 * A stored event this service cannot read: its type is unknown here, its schema version is newer
 * than this service knows, or its JSON does not bind after upcasting. The message names the type
 * and version, and what this service knows.
 */
public final class UnreadableEventException extends RuntimeException {
  private final String type;
  private final int schemaVersion;

  public UnreadableEventException(String type, int schemaVersion, String message) {
    super(message);
    this.type = type;
    this.schemaVersion = schemaVersion;
  }

  public UnreadableEventException(String type, int schemaVersion, String message, Throwable cause) {
    super(message, cause);
    this.type = type;
    this.schemaVersion = schemaVersion;
  }

  public String type() {
    return type;
  }

  public int schemaVersion() {
    return schemaVersion;
  }
}
