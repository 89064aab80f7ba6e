package dev.firemesh.examples.trading.referencedata.domain;

/** Whether orders may be booked to an account. */
public enum AccountStatus {
  OPEN,
  /** Closed by the client or by compliance: orders for it are refused. */
  CLOSED
}
