package dev.firemesh.chassis.schedule;

/**
 * What a task does about firings that were missed: found due later than the scheduler's misfire
 * grace, because no instance was there to run them in time. Firings found due within the grace run
 * each, in order, whatever the policy.
 */
public enum MisfirePolicy {
  /** One run, for the latest missed firing, stands for all of them. */
  RUN_ONCE,
  /** None of the missed firings run; the task goes on to its next firing. */
  SKIP
}
