package dev.firemesh.chassis.cqrs;

import java.util.Objects;

/**
 * When and how an aggregate's state is snapshotted: every {@code every} events, the state written
 * as JSON with {@code schemaVersion}. A stored snapshot of another state class or schema version is
 * ignored, and the stream replayed in full: change the version whenever the state's shape changes.
 *
 * @param stateType the state's class, which the JSON binds to
 */
public record Snapshots<S>(int every, Class<S> stateType, int schemaVersion) {
  public Snapshots {
    Objects.requireNonNull(stateType, "stateType");
    if (every < 1) {
      throw new IllegalArgumentException("snapshots every " + every + " events: must be 1 or more");
    }
    if (schemaVersion < 1) {
      throw new IllegalArgumentException(
          "a snapshot schema version starts at 1, not " + schemaVersion);
    }
  }

  public static <S> Snapshots<S> every(int events, Class<S> stateType, int schemaVersion) {
    return new Snapshots<>(events, stateType, schemaVersion);
  }
}
