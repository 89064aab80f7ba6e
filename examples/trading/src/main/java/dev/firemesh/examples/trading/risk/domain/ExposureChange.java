package dev.firemesh.examples.trading.risk.domain;

import java.math.BigDecimal;
import java.util.Currency;
import java.util.Objects;

/**
 * What one order event adds to an account's {@link Exposure} in one currency: three signed amounts,
 * added as they are (see {@link Exposure#change} for the arithmetic).
 *
 * @param openNotional added to the open notional (negative when released)
 * @param filledToday added to the notional filled today (0 or more)
 * @param usedToday added to the notional accepted today (0 or more)
 */
public record ExposureChange(
    String account,
    Currency currency,
    BigDecimal openNotional,
    BigDecimal filledToday,
    BigDecimal usedToday) {
  public ExposureChange {
    Objects.requireNonNull(account, "account");
    Objects.requireNonNull(currency, "currency");
    Objects.requireNonNull(openNotional, "openNotional");
    Objects.requireNonNull(filledToday, "filledToday");
    Objects.requireNonNull(usedToday, "usedToday");
  }

  /** Whether it changes nothing (an upsert may be skipped). */
  public boolean none() {
    return openNotional.signum() == 0 && filledToday.signum() == 0 && usedToday.signum() == 0;
  }
}
