package dev.firemesh.control.catalog;

import dev.firemesh.api.resource.ResourceKey;

/** A named resource does not exist. */
public final class NoSuchResourceException extends RuntimeException {
  public NoSuchResourceException(ResourceKey key) {
    super(key + " does not exist");
  }
}
