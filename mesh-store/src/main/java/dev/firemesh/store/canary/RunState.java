package dev.firemesh.store.canary;

/** Where a canary run stands. */
public enum RunState {
  /** Shifting weight step by step. */
  PROGRESSING,
  /** Stalled at its weight for lack of canary requests; judged again once enough have come. */
  HELD,
  /** Every step passed: the canary takes all of the rule's traffic. Finished. */
  PROMOTED,
  /** Rolled back (the canary's weight is 0) or could not go on. Finished. */
  FAILED;

  public boolean finished() {
    return this == PROMOTED || this == FAILED;
  }
}
