package dev.firemesh.examples.trading.orders.domain;

/** Why an order was not accepted. */
public enum RejectReason {
  /** The desk's kill switch is on (the orders Config's {@code killSwitch}): nothing trades. */
  TRADING_HALTED,
  /** A field is missing or malformed: side, quantity, price, ISIN check digit, account. */
  INVALID_ORDER,
  QUANTITY_ABOVE_MAXIMUM,
  UNKNOWN_INSTRUMENT,
  VENUE_NOT_ALLOWED,
  PRICE_NOT_ON_TICK,
  UNKNOWN_ACCOUNT,
  ACCOUNT_CLOSED,
  LIMIT_BREACHED,
  /** Reference data or risk could not be asked; the order may be sent again. */
  DEPENDENCY_UNAVAILABLE
}
