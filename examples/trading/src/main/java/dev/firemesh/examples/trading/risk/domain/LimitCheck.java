package dev.firemesh.examples.trading.risk.domain;

import java.math.BigDecimal;
import java.util.Currency;
import java.util.Objects;

/**
 * An order as risk sees it: who, how much, at what price, in which currency.
 *
 * @param account the account the order is booked to
 * @param isin the instrument (for the reasons a breach gives)
 * @param quantity the number of shares, positive
 * @param price the limit price, positive, in {@code currency}
 */
public record LimitCheck(
    String account, String isin, long quantity, BigDecimal price, Currency currency) {
  public LimitCheck {
    Objects.requireNonNull(account, "account");
    Objects.requireNonNull(isin, "isin");
    Objects.requireNonNull(currency, "currency");
    if (quantity <= 0 || price.signum() <= 0) {
      throw new IllegalArgumentException(
          "quantity and price must be positive, got " + quantity + " at " + price);
    }
  }

  public BigDecimal notional() {
    return price.multiply(BigDecimal.valueOf(quantity));
  }
}
