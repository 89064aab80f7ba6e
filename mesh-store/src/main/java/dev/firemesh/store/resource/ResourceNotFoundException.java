package dev.firemesh.store.resource;

import dev.firemesh.store.StoreException;

/** A change named a resource that does not exist; nothing was written. */
public final class ResourceNotFoundException extends StoreException {
  private static final long serialVersionUID = 1L;

  private final String kind;
  private final String name;

  public ResourceNotFoundException(String kind, String name) {
    super("cannot delete " + kind + "/" + name + ": no such resource; nothing was applied");
    this.kind = kind;
    this.name = name;
  }

  public String kind() {
    return kind;
  }

  public String name() {
    return name;
  }
}
