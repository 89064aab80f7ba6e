package dev.firemesh.examples.trading.generator.domain;

/** What an order of the flow is meant to provoke. */
public enum Intent {
  VALID,
  /** A well-formed ISIN (right check digit) that reference data does not know. */
  UNKNOWN_INSTRUMENT,
  /** A known ISIN with its check digit off by one. */
  BAD_CHECK_DIGIT,
  CLOSED_ACCOUNT,
  /** Far above the per-order notional limit. */
  OVERSIZED,
  /** A price between two ticks. */
  OFF_TICK;

  public boolean valid() {
    return this == VALID;
  }
}
