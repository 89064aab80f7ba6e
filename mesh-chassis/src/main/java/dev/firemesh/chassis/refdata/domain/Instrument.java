package dev.firemesh.chassis.refdata.domain;

import dev.firemesh.chassis.refdata.InvalidReferenceDataException;
import dev.firemesh.chassis.refdata.standard.Cfi;
import dev.firemesh.chassis.refdata.standard.CurrencyCode;
import dev.firemesh.chassis.refdata.standard.Isin;
import dev.firemesh.chassis.refdata.standard.Mic;
import java.math.BigDecimal;

/**
 * A listed instrument: its ISIN, its classification (CFI), the currency it is quoted in, its price
 * increment and trading unit, and the venue it is listed on.
 *
 * @param tickSize the smallest price increment, greater than 0; kept without trailing zeros so that
 *     {@code 0.010} and {@code 0.01} are the same instrument
 * @param lotSize the number of units an order quantity must be a multiple of, greater than 0
 */
public record Instrument(
    Isin isin,
    String name,
    Cfi cfi,
    CurrencyCode currency,
    BigDecimal tickSize,
    long lotSize,
    Mic listingVenue,
    InstrumentStatus status) {
  public Instrument {
    Fields.present(isin, "isin");
    Fields.text(name, "name");
    Fields.present(cfi, "cfi");
    Fields.present(currency, "currency");
    tickSize = Fields.positive(tickSize, "tickSize");
    if (lotSize <= 0) {
      throw new InvalidReferenceDataException("lotSize", "must be greater than 0, got " + lotSize);
    }
    Fields.present(listingVenue, "listingVenue");
    Fields.present(status, "status");
  }

  /** Whether {@code price} is a whole number of ticks. */
  public boolean isOnTick(BigDecimal price) {
    return price.remainder(tickSize).signum() == 0;
  }

  /** Whether {@code quantity} is a positive whole number of lots. */
  public boolean isWholeLots(long quantity) {
    return quantity > 0 && quantity % lotSize == 0;
  }
}
