package dev.firemesh.store.canary;

import java.time.Instant;
import java.util.Objects;

/**
 * One Canary's rollout as persisted.
 *
 * @param spec the canonical JSON of the Canary this run carries out
 * @param step the index of the current step in the spec's steps
 * @param weight the canary weight, in percent, the run last applied to the Route
 * @param waits how many intervals the current step has been extended for lack of requests
 * @param reason why the run stands where it does, for people
 */
public record CanaryRun(
    String canary,
    String spec,
    RunState state,
    int step,
    int weight,
    int waits,
    Instant startedAt,
    Instant stepStartedAt,
    Instant updatedAt,
    String reason) {
  public CanaryRun {
    Objects.requireNonNull(canary, "canary");
    Objects.requireNonNull(spec, "spec");
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(startedAt, "startedAt");
    Objects.requireNonNull(stepStartedAt, "stepStartedAt");
    Objects.requireNonNull(updatedAt, "updatedAt");
    Objects.requireNonNull(reason, "reason");
  }
}
