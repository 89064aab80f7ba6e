package dev.firemesh.examples.trading.risk.domain;

import dev.firemesh.chassis.config.Range;
import dev.firemesh.chassis.schedule.CronExpression;
import java.math.BigDecimal;
import java.util.Objects;

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
 * @param endOfDayCron when the {@code end-of-day} task resets the daily figures: a five-field cron
 *     expression in {@link DailyLimits#LONDON_CLOSE}'s zone, its 17:00 by default. Read when a risk
 *     instance starts (tasks are declared then): a demo may set the next minute and restart one
 *     instance to watch the reset happen once across all of them.
 * @param endOfDayBusinessDaysOnly whether the task skips days the London market is closed
 *     (weekends, bank holidays); off to watch it on a weekend
 */
public record RiskConfig(
    @Range(min = 0, max = 100) BigDecimal limitMultiplier,
    @Range(min = 1, max = 10_000) long windowMultiple,
    @Range(min = 0) BigDecimal maxOrderNotionalEur,
    String endOfDayCron,
    boolean endOfDayBusinessDaysOnly) {

  public static final RiskConfig DEFAULTS =
      new RiskConfig(BigDecimal.ONE, 20, BigDecimal.ZERO, DailyLimits.LONDON_CLOSE.cron(), true);

  public RiskConfig {
    Objects.requireNonNull(endOfDayCron, "endOfDayCron");
    // Refused when applied, not when the task is declared at the next start.
    CronExpression.parse(endOfDayCron);
  }
}
