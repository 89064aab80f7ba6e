package dev.firemesh.examples.trading.referencedata.domain;

import dev.firemesh.chassis.refdata.standard.Cfi;
import dev.firemesh.chassis.refdata.standard.Isin;
import dev.firemesh.chassis.refdata.standard.Mic;
import java.math.BigDecimal;
import java.util.Currency;
import java.util.Objects;

/**
 * An instrument as listed on one venue.
 *
 * @param isin its ISO 6166 identifier
 * @param cfi its ISO 10962 classification
 * @param name the issuer and share class
 * @param venue where it is listed (its primary market)
 * @param currency the currency it trades in on that venue
 * @param tickSize the smallest price increment on that venue
 * @param previousClose yesterday's closing price, where the day's quotes start from
 */
public record Instrument(
    Isin isin,
    Cfi cfi,
    String name,
    Mic venue,
    Currency currency,
    BigDecimal tickSize,
    BigDecimal previousClose) {
  public Instrument {
    Objects.requireNonNull(isin, "isin");
    Objects.requireNonNull(cfi, "cfi");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(venue, "venue");
    Objects.requireNonNull(currency, "currency");
    if (tickSize.signum() <= 0) {
      throw new IllegalArgumentException(isin + ": tick size must be positive, got " + tickSize);
    }
    if (previousClose.signum() <= 0 || !onTick(previousClose, tickSize)) {
      throw new IllegalArgumentException(
          isin
              + ": previous close "
              + previousClose
              + " is not a positive multiple of "
              + tickSize);
    }
  }

  /** Whether {@code price} is a positive whole number of ticks. */
  public boolean isOnTick(BigDecimal price) {
    return price.signum() > 0 && onTick(price, tickSize);
  }

  private static boolean onTick(BigDecimal price, BigDecimal tick) {
    return price.remainder(tick).signum() == 0;
  }
}
