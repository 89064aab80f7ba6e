package dev.firemesh.chassis.events.subscription;

/** What {@link Subscriptions#retry} did with a dead letter. */
public sealed interface RetryOutcome {
  /** The handler took the event; the dead letter is gone. */
  record Handled() implements RetryOutcome {}

  /** The handler failed again; the dead letter stays, with one more attempt and this error. */
  record Failed(int attempts, String error) implements RetryOutcome {}

  /** No such dead letter (dropped, retried or rebuilt away meanwhile). */
  record NotFound() implements RetryOutcome {}
}
