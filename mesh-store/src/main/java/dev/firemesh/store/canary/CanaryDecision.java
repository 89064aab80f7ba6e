package dev.firemesh.store.canary;

import java.time.Instant;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * One decision of a canary run and the figures it was taken on (requests and errors of each version
 * over the step's window, as summed over the callers' sidecars; p99 latencies in milliseconds,
 * {@code NaN} when a version had no answers).
 *
 * @param seq 1, 2, 3... within the run
 * @param revision the Route revision the decision applied, if it changed the weights
 */
public record CanaryDecision(
    int seq,
    Instant at,
    int step,
    int weight,
    String decision,
    String reason,
    long canaryRequests,
    long canaryErrors,
    long stableRequests,
    long stableErrors,
    double canaryP99Millis,
    double stableP99Millis,
    OptionalLong revision) {
  public CanaryDecision {
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(decision, "decision");
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(revision, "revision");
  }

  /** The same decision numbered {@code seq}. */
  public CanaryDecision withSeq(int seq) {
    return new CanaryDecision(
        seq,
        at,
        step,
        weight,
        decision,
        reason,
        canaryRequests,
        canaryErrors,
        stableRequests,
        stableErrors,
        canaryP99Millis,
        stableP99Millis,
        revision);
  }
}
