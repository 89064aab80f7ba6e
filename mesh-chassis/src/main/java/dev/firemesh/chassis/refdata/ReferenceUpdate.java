package dev.firemesh.chassis.refdata;

import java.time.Instant;
import java.util.List;

/**
 * A version's changes, as a replica's listeners see them: once per version, in version order.
 *
 * @param committedAt when the owner committed the version
 * @param commandId the command that made the version; empty for a reload
 * @param reload true when the replica reloaded a snapshot rather than followed the log (it was too
 *     far behind): {@code changes} is then the difference between its old view and the snapshot,
 *     and the versions in between are not seen one by one
 */
public record ReferenceUpdate(
    long version,
    Instant committedAt,
    String commandId,
    List<ReferenceChange> changes,
    boolean reload) {
  public ReferenceUpdate {
    changes = List.copyOf(changes);
  }
}
