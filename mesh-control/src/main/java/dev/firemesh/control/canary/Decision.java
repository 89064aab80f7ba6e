package dev.firemesh.control.canary;

import java.util.Locale;

/** What the controller does after judging a step. */
public enum Decision {
  /** A run begins: the first step's weight is applied. */
  START,
  /** Too few canary requests: the step's window is extended by another interval. */
  WAIT,
  /**
   * Still too few after the allowed waits: the run is held at its weight, judged every interval.
   */
  HOLD,
  /** The step passed: the next step's weight is applied. */
  ADVANCE,
  /** The last step passed: the canary gets all of the rule's traffic. */
  PROMOTE,
  /** The canary did worse than allowed: its weight goes to 0 at once. */
  ROLL_BACK,
  /** The run cannot go on (its Route changed under it, a weight could not be applied). */
  ABORT;

  /** As in logs and the admin API: {@code advance}, {@code roll-back}. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }
}
