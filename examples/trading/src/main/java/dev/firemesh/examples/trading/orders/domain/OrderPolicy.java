package dev.firemesh.examples.trading.orders.domain;

import java.util.Set;

/**
 * The desk's own rules, before any limit: whether it trades at all (the kill switch), the largest
 * quantity of one order, the venues it trades on, and whether risk is asked. One value per order: a
 * change of configuration never applies to half an order.
 *
 * @param deskContact who to call when the kill switch is on, for the rejection's detail
 */
public record OrderPolicy(
    long maxOrderQuantity,
    Set<String> allowedVenues,
    boolean preTradeRiskCheck,
    boolean killSwitch,
    String deskContact) {
  public OrderPolicy {
    allowedVenues = Set.copyOf(allowedVenues);
  }

  /** Trading, with the risk check, within these bounds. */
  public OrderPolicy(long maxOrderQuantity, Set<String> allowedVenues) {
    this(maxOrderQuantity, allowedVenues, true, false, "");
  }

  /** The defaults in code of {@link OrdersConfig}. */
  public static OrderPolicy dev() {
    return OrdersConfig.DEFAULTS.policy();
  }
}
