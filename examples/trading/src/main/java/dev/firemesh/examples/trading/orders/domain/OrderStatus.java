package dev.firemesh.examples.trading.orders.domain;

/**
 * Where an order is in its life. The allowed moves ({@link #canBecome}):
 *
 * <pre>
 * NEW ─┬─▶ ACCEPTED ─┬─▶ PARTIALLY_FILLED ─┬─▶ FILLED
 *      │             │        ▲ │          └─▶ CANCELLED
 *      │             │        └─┘
 *      │             ├─▶ FILLED
 *      │             └─▶ CANCELLED
 *      └─▶ REJECTED
 * </pre>
 */
public enum OrderStatus {
  /**
   * No order yet, or placed and not yet decided: a placement's events are appended together, so
   * only {@code evolve} ever sees a placed order in this status.
   */
  NEW,
  /** Open on the venue, nothing filled. */
  ACCEPTED,
  /** Refused by the desk; final. */
  REJECTED,
  /** Open, part filled. */
  PARTIALLY_FILLED,
  /** Entirely filled; final. */
  FILLED,
  /** What was left is cancelled; final. */
  CANCELLED;

  /** Whether the order is working on the venue: it can take fills and be cancelled. */
  public boolean open() {
    return this == ACCEPTED || this == PARTIALLY_FILLED;
  }

  /**
   * Whether one event may take an order in this status to {@code next}: NEW to NEW is the placement
   * itself, PARTIALLY_FILLED to itself a further partial fill; a final status goes nowhere.
   */
  public boolean canBecome(OrderStatus next) {
    return switch (this) {
      case NEW -> next == NEW || next == ACCEPTED || next == REJECTED;
      case ACCEPTED, PARTIALLY_FILLED ->
          next == PARTIALLY_FILLED || next == FILLED || next == CANCELLED;
      case REJECTED, FILLED, CANCELLED -> false;
    };
  }
}
