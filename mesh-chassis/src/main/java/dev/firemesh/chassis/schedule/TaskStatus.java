package dev.firemesh.chassis.schedule;

import java.time.Instant;
import java.util.Optional;

/**
 * A task as the store has it, for {@code firemesh tasks}.
 *
 * @param task the task's name
 * @param kind how its firings are spaced
 * @param spec its schedule as declared
 * @param owner the instance holding its lease; empty when the lease is free or expired (by the
 *     database's clock)
 * @param token the fencing token of the latest claim
 * @param leaseUntil when the latest lease ends
 * @param lastFiring the firing last run
 * @param lastStarted when that run started
 * @param lastFinished when it finished
 * @param lastOutcome {@code succeeded} or {@code failed}
 * @param lastError what failed, when it did
 * @param nextFiring the next firing; empty when none is left
 * @param runs the attempts run so far
 * @param retryOf while a failed firing waits to be tried again (at {@code nextFiring}), that firing
 * @param attempt the attempt {@code nextFiring} will be: 1, or more for a retry
 */
public record TaskStatus(
    String task,
    TaskKind kind,
    String spec,
    Optional<String> owner,
    long token,
    Optional<Instant> leaseUntil,
    Optional<Instant> lastFiring,
    Optional<Instant> lastStarted,
    Optional<Instant> lastFinished,
    Optional<String> lastOutcome,
    Optional<String> lastError,
    Optional<Instant> nextFiring,
    long runs,
    Optional<Instant> retryOf,
    int attempt) {}
