package dev.firemesh.control.catalog;

import java.time.Instant;
import java.util.List;

/**
 * What an apply, delete or rollback did (or, for a dry run, would do).
 *
 * @param revision the new revision; the unchanged head when nothing changed or for a dry run
 */
public record ApplyOutcome(
    long revision, boolean dryRun, Instant at, List<ResourceChange> changes) {
  public ApplyOutcome {
    changes = List.copyOf(changes);
  }

  public boolean unchanged() {
    return changes.isEmpty();
  }
}
