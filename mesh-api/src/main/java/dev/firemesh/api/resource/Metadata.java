package dev.firemesh.api.resource;

import java.util.Map;
import java.util.Objects;

/** {@code metadata}: the resource's name (unique per kind) and free-form labels. */
public record Metadata(String name, Map<String, String> labels) {
  public Metadata {
    Objects.requireNonNull(name, "name");
    labels = Map.copyOf(labels);
  }

  public static Metadata named(String name) {
    return new Metadata(name, Map.of());
  }
}
