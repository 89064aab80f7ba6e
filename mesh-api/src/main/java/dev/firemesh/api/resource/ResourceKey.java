package dev.firemesh.api.resource;

import java.util.Objects;

/** Identifies a resource: its kind and its name. Rendered as {@code Kind/name}. */
public record ResourceKey(Kind kind, String name) implements Comparable<ResourceKey> {
  public ResourceKey {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(name, "name");
  }

  @Override
  public int compareTo(ResourceKey other) {
    int byKind = kind.compareTo(other.kind);
    return byKind != 0 ? byKind : name.compareTo(other.name);
  }

  @Override
  public String toString() {
    return kind.wireName() + "/" + name;
  }
}
