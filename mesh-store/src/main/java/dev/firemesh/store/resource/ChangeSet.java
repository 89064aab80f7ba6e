package dev.firemesh.store.resource;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * What one apply should do: put resources (create or replace) and delete others. Each (kind, name)
 * appears at most once.
 */
public record ChangeSet(List<Edit> edits) {

  /** One requested change. */
  public sealed interface Edit {
    String kind();

    String name();
  }

  /** Create or replace {@code kind/name} with {@code body}. */
  public record Put(String kind, String name, String body) implements Edit {
    public Put {
      requireName(kind, "kind");
      requireName(name, "name");
      Objects.requireNonNull(body, "body");
    }
  }

  /** Delete {@code kind/name}, which must exist. */
  public record Delete(String kind, String name) implements Edit {
    public Delete {
      requireName(kind, "kind");
      requireName(name, "name");
    }
  }

  public ChangeSet {
    edits = List.copyOf(edits);
    Set<String> seen = new HashSet<>();
    for (Edit edit : edits) {
      if (!seen.add(edit.kind() + "\0" + edit.name())) {
        throw new IllegalArgumentException(
            "change set names " + edit.kind() + "/" + edit.name() + " more than once");
      }
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  public boolean isEmpty() {
    return edits.isEmpty();
  }

  /** Collects edits in order. */
  public static final class Builder {
    private final List<Edit> edits = new ArrayList<>();

    private Builder() {}

    public Builder put(String kind, String name, String body) {
      edits.add(new Put(kind, name, body));
      return this;
    }

    public Builder delete(String kind, String name) {
      edits.add(new Delete(kind, name));
      return this;
    }

    public ChangeSet build() {
      return new ChangeSet(edits);
    }
  }

  private static void requireName(String value, String what) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException("resource " + what + " must not be blank");
    }
  }
}
