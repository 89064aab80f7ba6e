package dev.firemesh.control.catalog;

import java.time.Instant;
import java.util.List;

/**
 * What an apply, delete or rollback did (or, for a dry run, would do).
 *
 * @param revision the new revision; the unchanged head when nothing changed or for a dry run
 * @param warnings what the user should know though nothing was refused (a Config whose service has
 *     published no schema, so its values were not checked)
 */
public record ApplyOutcome(
    long revision,
    boolean dryRun,
    Instant at,
    List<ResourceChange> changes,
    List<String> warnings) {
  public ApplyOutcome {
    changes = List.copyOf(changes);
    warnings = List.copyOf(warnings);
  }

  public ApplyOutcome(long revision, boolean dryRun, Instant at, List<ResourceChange> changes) {
    this(revision, dryRun, at, changes, List.of());
  }

  public boolean unchanged() {
    return changes.isEmpty();
  }
}
