package dev.firemesh.chassis.refdata.domain;

/** Whether an instrument can be traded. */
public enum InstrumentStatus {
  ACTIVE,
  /** Trading halted by the venue or the issuer; may resume. */
  SUSPENDED,
  /** No longer listed; kept so positions and history still resolve. */
  DELISTED
}
