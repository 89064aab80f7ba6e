package dev.firemesh.chassis.events;

import java.util.Objects;

/**
 * A stream's state at one version, so loading it replays only the events after that version.
 *
 * @param streamVersion the version of the last event folded into the state
 * @param stateType what the state is (its record's name), so a snapshot of another type is ignored
 * @param schemaVersion the state's JSON schema version; one the reader does not expect is ignored
 *     (full replay) rather than upcast
 * @param json the state as JSON
 */
public record Snapshot(
    String streamId, long streamVersion, String stateType, int schemaVersion, String json) {
  public Snapshot {
    Objects.requireNonNull(streamId, "streamId");
    Objects.requireNonNull(stateType, "stateType");
    Objects.requireNonNull(json, "json");
    if (streamVersion < 1) {
      throw new IllegalArgumentException(
          "a snapshot is taken after at least one event, not at version " + streamVersion);
    }
  }
}
