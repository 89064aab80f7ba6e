package dev.firemesh.examples.trading.orders.domain;

import dev.firemesh.examples.trading.orders.domain.OrderCommand.PlaceOrder;

/**
 * What the desk made of an order request: refused outright, or an order to book with its verdict.
 */
public sealed interface OrderIntake {

  /**
   * Not an order the desk can book, because it is not known what it would be: halted desk,
   * malformed, above the desk's size, or for an instrument reference data does not know; or not
   * yet, because reference data or risk could not be asked (a retry with the same client order id
   * is then decided afresh). Answered and counted; nothing is recorded.
   *
   * @param detail what was wrong, with the values involved
   */
  record Refused(RejectReason reason, String detail) implements OrderIntake {}

  /**
   * An order for a known instrument, decided: the command that books it, with the verdict
   * (accepted, or rejected for its venue, price, account or limits) in it.
   */
  record Decided(PlaceOrder command) implements OrderIntake {}
}
