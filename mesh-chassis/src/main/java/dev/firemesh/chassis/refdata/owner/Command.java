package dev.firemesh.chassis.refdata.owner;

import java.util.List;

/**
 * Edits applied all or nothing as one version.
 *
 * @param id the sender's id for the command: sent again (a retry), it is answered with the version
 *     it made and nothing is written
 * @param actor who sent it (the caller's service, from the sidecar's {@code x-firemesh-caller})
 * @param traceId the W3C trace id it came with, empty if none
 */
public record Command(String id, String actor, String traceId, List<Edit> edits) {
  public Command {
    edits = List.copyOf(edits);
    if (id.isBlank() || id.length() > 200) {
      throw new IllegalArgumentException("a command id is 1 to 200 characters: '" + id + "'");
    }
    if (edits.isEmpty()) {
      throw new IllegalArgumentException("command " + id + " has no edits");
    }
  }

  /** A command of the owning service itself. */
  public static Command of(String id, Edit... edits) {
    return new Command(id, "self", "", List.of(edits));
  }
}
