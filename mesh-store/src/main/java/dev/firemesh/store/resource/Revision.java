package dev.firemesh.store.resource;

import java.time.Instant;
import java.util.List;

/**
 * A committed revision of the resources, or the outcome of an apply that changed nothing.
 *
 * @param number the revision number; for an unchanged outcome, the head it left as it was
 * @param createdAt when it was committed, by the database clock (for an unchanged outcome: when it
 *     was found unchanged)
 * @param changes what it changed, in the order requested; empty exactly when {@link #unchanged()}
 */
public record Revision(
    long number, String actor, String message, Instant createdAt, List<Change> changes) {

  public Revision {
    changes = List.copyOf(changes);
  }

  /** True if the apply changed nothing, so no revision was created. */
  public boolean unchanged() {
    return changes.isEmpty();
  }
}
