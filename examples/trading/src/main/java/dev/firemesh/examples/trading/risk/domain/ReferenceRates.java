package dev.firemesh.examples.trading.risk.domain;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Currency;
import java.util.Map;
import java.util.Optional;

/**
 * Fixed conversion rates into euros, as a risk desk sets them once a day; good enough for limits,
 * which are never that precise.
 */
public final class ReferenceRates {
  private final Map<Currency, BigDecimal> eurPerUnit;

  public ReferenceRates(Map<Currency, BigDecimal> eurPerUnit) {
    this.eurPerUnit = Map.copyOf(eurPerUnit);
  }

  /**
   * EUR 1, GBP 1.17, USD 0.92, CHF 1.06, JPY 0.0061, HKD 0.118, CAD 0.67: every currency of the
   * reference data seed's instruments and accounts.
   */
  public static ReferenceRates sample() {
    return new ReferenceRates(
        Map.of(
            Currency.getInstance("EUR"), BigDecimal.ONE,
            Currency.getInstance("GBP"), new BigDecimal("1.17"),
            Currency.getInstance("USD"), new BigDecimal("0.92"),
            Currency.getInstance("CHF"), new BigDecimal("1.06"),
            Currency.getInstance("JPY"), new BigDecimal("0.0061"),
            Currency.getInstance("HKD"), new BigDecimal("0.118"),
            Currency.getInstance("CAD"), new BigDecimal("0.67")));
  }

  /** What one unit of {@code currency} is worth in euros; empty if there is no rate for it. */
  public Optional<BigDecimal> eurPerUnit(Currency currency) {
    return Optional.ofNullable(eurPerUnit.get(currency));
  }

  /** {@code amount} in euros, to the cent; empty if there is no rate for {@code currency}. */
  public Optional<BigDecimal> toEur(BigDecimal amount, Currency currency) {
    return eurPerUnit(currency)
        .map(rate -> amount.multiply(rate).setScale(2, RoundingMode.HALF_UP));
  }
}
