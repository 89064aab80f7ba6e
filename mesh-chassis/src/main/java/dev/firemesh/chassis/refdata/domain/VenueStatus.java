package dev.firemesh.chassis.refdata.domain;

/** Whether a venue takes orders. */
public enum VenueStatus {
  /** Trading in its regular hours. */
  ACTIVE,
  /** Halted for now (an outage, a market-wide halt); orders for it are refused. */
  SUSPENDED,
  /** No longer operating (its MIC expired in ISO 10383); kept so history still resolves. */
  CLOSED
}
