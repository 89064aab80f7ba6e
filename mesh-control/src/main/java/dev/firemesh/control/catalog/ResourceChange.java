package dev.firemesh.control.catalog;

import dev.firemesh.api.resource.ResourceKey;
import java.util.Optional;

/**
 * One resource's change between two states, with its canonical JSON before and after (empty when it
 * did not exist on that side).
 */
public record ResourceChange(
    ResourceKey key, Op op, Optional<String> before, Optional<String> after) {
  public enum Op {
    CREATED,
    UPDATED,
    DELETED
  }
}
