package dev.firemesh.examples.trading.risk.domain;

import dev.firemesh.examples.trading.risk.domain.OrderEventView.Accepted;
import dev.firemesh.examples.trading.risk.domain.OrderEventView.Cancelled;
import dev.firemesh.examples.trading.risk.domain.OrderEventView.Filled;
import dev.firemesh.examples.trading.risk.domain.OrderEventView.Rejected;
import java.math.BigDecimal;
import java.util.Currency;
import java.util.Objects;

/**
 * An account's exposure in one currency, as a projection of order events: a fold of {@link #change}
 * over them with {@link #apply}, from {@link #none}. Amounts are kept in the orders' currency,
 * exact, and converted to euros only when compared with limits: converting each event at the day's
 * rate would leave a residue when an order's release is converted at another rate than its
 * reservation.
 *
 * <p>The arithmetic, per event (q = quantity, L = the order's limit price, p = the fill's price):
 *
 * <table>
 *   <caption>Change per event</caption>
 *   <tr><th>event</th><th>openNotional</th><th>filledToday</th><th>usedToday</th></tr>
 *   <tr><td>OrderAccepted</td><td>+ q x L</td><td>0</td><td>+ q x L</td></tr>
 *   <tr><td>OrderPartiallyFilled, OrderFilled</td><td>- q x L</td><td>+ q x p</td><td>0</td></tr>
 *   <tr><td>OrderCancelled (q = leaves quantity)</td><td>- q x L</td><td>0</td><td>0</td></tr>
 *   <tr><td>OrderRejected</td><td>0</td><td>0</td><td>0</td></tr>
 * </table>
 *
 * <p>Open notional is measured at the limit price, which is what was reserved, so the fills and the
 * cancel of an order release exactly what its acceptance added, and it returns to zero once the
 * order is filled or cancelled. A rejected order never was open: nothing to release. Both sides
 * count as positive (gross). As SQL over a table keyed by (account, currency) with {@code numeric}
 * columns (exact, any scale), each change is one upsert:
 *
 * <pre>{@code
 * insert into risk_exposure (account, currency, open_notional, filled_today, used_today)
 * values (:account, :currency, :openNotional, :filledToday, :usedToday)
 * on conflict (account, currency) do update set
 *   open_notional = risk_exposure.open_notional + excluded.open_notional,
 *   filled_today  = risk_exposure.filled_today  + excluded.filled_today,
 *   used_today    = risk_exposure.used_today    + excluded.used_today
 * }</pre>
 *
 * Applied once per event (the subscription's checkpoint moves in the same transaction); the daily
 * figures are reset by {@link DailyLimits#reset}.
 *
 * @param openNotional the notional of accepted, not yet filled or cancelled quantity, at limit
 * @param filledToday the notional filled since the last end of day, at fill prices
 * @param usedToday the notional accepted since the last end of day, at limit
 */
public record Exposure(
    String account,
    Currency currency,
    BigDecimal openNotional,
    BigDecimal filledToday,
    BigDecimal usedToday) {
  public Exposure {
    Objects.requireNonNull(account, "account");
    Objects.requireNonNull(currency, "currency");
    Objects.requireNonNull(openNotional, "openNotional");
    Objects.requireNonNull(filledToday, "filledToday");
    Objects.requireNonNull(usedToday, "usedToday");
  }

  /** Nothing yet. */
  public static Exposure none(String account, Currency currency) {
    return new Exposure(account, currency, BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO);
  }

  /** What {@code event} changes, and for which account and currency. */
  public static ExposureChange change(OrderEventView event) {
    return switch (event) {
      case Accepted e -> {
        BigDecimal reserved = notional(e.quantity(), e.limitPrice());
        yield new ExposureChange(e.account(), e.currency(), reserved, BigDecimal.ZERO, reserved);
      }
      case Filled e ->
          new ExposureChange(
              e.account(),
              e.currency(),
              notional(e.quantity(), e.limitPrice()).negate(),
              notional(e.quantity(), e.price()),
              BigDecimal.ZERO);
      case Cancelled e ->
          new ExposureChange(
              e.account(),
              e.currency(),
              notional(e.leavesQuantity(), e.limitPrice()).negate(),
              BigDecimal.ZERO,
              BigDecimal.ZERO);
      case Rejected e ->
          new ExposureChange(
              e.account(), e.currency(), BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO);
    };
  }

  /** This exposure with {@code change} added. */
  public Exposure apply(ExposureChange change) {
    if (!change.account().equals(account) || !change.currency().equals(currency)) {
      throw new IllegalArgumentException(
          "a change for "
              + change.account()
              + " in "
              + change.currency()
              + " applied to the exposure of "
              + account
              + " in "
              + currency);
    }
    return new Exposure(
        account,
        currency,
        openNotional.add(change.openNotional()),
        filledToday.add(change.filledToday()),
        usedToday.add(change.usedToday()));
  }

  private static BigDecimal notional(long quantity, BigDecimal price) {
    return price.multiply(BigDecimal.valueOf(quantity));
  }
}
