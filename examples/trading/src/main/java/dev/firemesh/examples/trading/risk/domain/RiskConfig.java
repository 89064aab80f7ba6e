package dev.firemesh.examples.trading.risk.domain;

import dev.firemesh.chassis.config.Range;
import java.math.BigDecimal;

/**
 * The risk service's configuration, as {@code Config} resources for {@code service: risk} set it
 * ({@code examples/trading/mesh/risk-config.yaml}), delivered live by the chassis.
 *
 * @param limitMultiplier scales every account's per-order limit from reference data: 0.5 halves
 *     them all at once (a desk-wide tightening), 0 refuses every order
 * @param windowMultiple an account's gross notional within the rolling minute may reach this many
 *     times its per-order limit
 * @param maxOrderNotionalEur a desk-wide cap on one order's notional in euros, whatever the
 *     account's limit; 0 sets none
 */
public record RiskConfig(
    @Range(min = 0, max = 100) BigDecimal limitMultiplier,
    @Range(min = 1, max = 10_000) long windowMultiple,
    @Range(min = 0) BigDecimal maxOrderNotionalEur) {

  public static final RiskConfig DEFAULTS = new RiskConfig(BigDecimal.ONE, 20, BigDecimal.ZERO);
}
