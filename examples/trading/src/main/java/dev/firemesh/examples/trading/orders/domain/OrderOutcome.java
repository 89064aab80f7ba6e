package dev.firemesh.examples.trading.orders.domain;

/** What became of an order request. */
public sealed interface OrderOutcome {
  record Accepted(Order order) implements OrderOutcome {}

  /**
   * @param detail what was wrong, with the values involved
   */
  record Rejected(RejectReason reason, String detail) implements OrderOutcome {}
}
