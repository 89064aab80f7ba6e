package dev.firemesh.examples.trading.referencedata.domain;

import dev.firemesh.chassis.refdata.domain.Instrument;
import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * Yesterday's closing price of an instrument, where market data's simulated day starts. The
 * reference records carry no prices (a price is market data), so the demo makes one up: the same
 * for an ISIN in every process and run, between 10 and 500 units of its currency, on its tick.
 */
public final class PreviousClose {
  private PreviousClose() {}

  public static BigDecimal of(Instrument instrument) {
    long cents = 1_000 + Math.floorMod(instrument.isin().value().hashCode(), 49_000);
    BigDecimal price = BigDecimal.valueOf(cents, 2);
    BigDecimal tick = instrument.tickSize();
    BigDecimal ticks = price.divide(tick, 0, RoundingMode.DOWN);
    return ticks.multiply(tick).max(tick);
  }
}
