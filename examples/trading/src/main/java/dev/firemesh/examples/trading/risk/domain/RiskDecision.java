package dev.firemesh.examples.trading.risk.domain;

import java.math.BigDecimal;

/** What risk says about an order. */
public sealed interface RiskDecision {
  /**
   * Within limits; the notional now counts against the account's window.
   *
   * @param notionalEur the order's notional in euros
   * @param headroomEur what is left of the window limit after this order
   */
  record Approved(BigDecimal notionalEur, BigDecimal headroomEur) implements RiskDecision {}

  /**
   * Refused, with the limit and the figures, as a trader would want to read them.
   *
   * @param reason e.g. "order notional EUR 1,204,500.00 exceeds the limit of EUR 1,000,000.00"
   */
  record Breached(String reason) implements RiskDecision {}
}
