package dev.firemesh.chassis.refdata.replica;

import java.time.Instant;

/** Where a replica stands with its owner: what its health check and metrics report. */
public sealed interface ReplicaState {
  /** Loading the first snapshot: no data yet. */
  record Loading() implements ReplicaState {}

  /** Following the owner's log. */
  record Live() implements ReplicaState {}

  /**
   * Serving its last view while the feed is lost or broken; {@code reason} says why, {@code since}
   * when it began. It catches up by itself when the owner answers again.
   */
  record Degraded(String reason, Instant since) implements ReplicaState {}
}
