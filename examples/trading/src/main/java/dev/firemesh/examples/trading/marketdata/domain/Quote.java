package dev.firemesh.examples.trading.marketdata.domain;

import dev.firemesh.chassis.refdata.standard.Isin;
import java.math.BigDecimal;
import java.time.Instant;

/**
 * The best bid and offer of one instrument at one moment.
 *
 * @param sequence increases by one with every quote the market publishes, across instruments, so a
 *     subscriber sees what it missed
 */
public record Quote(
    Isin isin,
    String venue,
    BigDecimal bid,
    BigDecimal ask,
    long bidSize,
    long askSize,
    long sequence,
    Instant time) {
  public Quote {
    if (bid.compareTo(ask) >= 0) {
      throw new IllegalArgumentException(isin + ": bid " + bid + " must be below ask " + ask);
    }
  }
}
