package dev.firemesh.examples.trading.orders.domain;

import java.util.Set;

/**
 * The desk's own rules, before any limit: the largest quantity of one order and the venues it
 * trades on. Mirrors the {@code orders-dev} Config in {@code examples/trading/mesh}.
 */
public record OrderPolicy(long maxOrderQuantity, Set<String> allowedVenues) {
  public OrderPolicy {
    allowedVenues = Set.copyOf(allowedVenues);
  }

  public static OrderPolicy dev() {
    return new OrderPolicy(1_000_000, Set.of("XLON", "XPAR", "XETR", "XNYS", "SIM"));
  }
}
