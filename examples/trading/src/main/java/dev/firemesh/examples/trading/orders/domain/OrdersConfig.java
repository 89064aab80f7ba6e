package dev.firemesh.examples.trading.orders.domain;

import dev.firemesh.chassis.config.DurationRange;
import dev.firemesh.chassis.config.Range;
import dev.firemesh.chassis.config.Size;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;

/**
 * The orders service's configuration, as {@code Config} resources for {@code service: orders} set
 * it ({@code examples/trading/mesh/orders-config.yaml}); the chassis publishes its schema, so
 * {@code firemesh apply} refuses a value this record cannot take, and delivers changes live.
 *
 * @param maxOrderQuantity the largest quantity of one order
 * @param allowedVenues the MICs of the venues the desk trades on
 * @param preTradeRiskCheck whether risk is asked before an order is accepted
 * @param riskTimeout how long the risk check may take before the order is refused as unavailable
 * @param killSwitch when on, every order is refused (TRADING_HALTED), without asking anyone
 * @param deskContact named in the refusal while the kill switch is on
 */
public record OrdersConfig(
    @Range(min = 1, max = 1_000_000_000) long maxOrderQuantity,
    @Size(min = 1) List<String> allowedVenues,
    boolean preTradeRiskCheck,
    @DurationRange(min = "10ms", max = "30s") Duration riskTimeout,
    boolean killSwitch,
    String deskContact) {

  /**
   * Generous on purpose: the demo runs a dozen JVMs on two cores, and the first calls through cold
   * JVMs can take seconds. Every venue of the reference data seed is allowed.
   */
  public static final OrdersConfig DEFAULTS =
      new OrdersConfig(
          1_000_000,
          List.of("XLON", "XNYS", "XNAS", "XPAR", "XAMS", "XETR", "XSWX", "XTKS", "XHKG", "XTSE"),
          true,
          Duration.ofSeconds(5),
          false,
          "trading-desk@example.com");

  public OrdersConfig {
    allowedVenues = List.copyOf(allowedVenues);
  }

  public OrderPolicy policy() {
    return new OrderPolicy(
        maxOrderQuantity, new HashSet<>(allowedVenues), preTradeRiskCheck, killSwitch, deskContact);
  }
}
