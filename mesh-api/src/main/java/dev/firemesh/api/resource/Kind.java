package dev.firemesh.api.resource;

import java.util.Arrays;
import java.util.Optional;

/** The kinds of resource FireMesh accepts, under {@code apiVersion: firemesh.dev/v1}. */
public enum Kind {
  SERVICE("Service"),
  ROUTE("Route"),
  TRAFFIC_POLICY("TrafficPolicy"),
  AUTHORIZATION_POLICY("AuthorizationPolicy"),
  CONFIG("Config"),
  RATE_LIMIT("RateLimit"),
  CANARY("Canary"),
  MUTUAL_TLS("MutualTls");

  public static final String API_VERSION = "firemesh.dev/v1";

  private final String wireName;

  Kind(String wireName) {
    this.wireName = wireName;
  }

  /** The name as written in a document's {@code kind} field, e.g. {@code TrafficPolicy}. */
  public String wireName() {
    return wireName;
  }

  /** Finds a kind by its document name, ignoring case so the CLI can accept {@code route}. */
  public static Optional<Kind> fromWireName(String name) {
    return Arrays.stream(values()).filter(k -> k.wireName.equalsIgnoreCase(name)).findFirst();
  }
}
