package dev.firemesh.chassis.refdata.domain;

/** What a trade account may do. */
public enum AccountStatus {
  OPEN,
  /** May only reduce its positions: orders that add risk are refused. */
  RESTRICTED,
  /** May not trade. */
  CLOSED
}
