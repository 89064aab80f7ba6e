package dev.firemesh.examples.trading.orders.domain;

import dev.firemesh.chassis.refdata.standard.Isin;
import java.math.BigDecimal;
import java.util.Currency;

/** The risk service, as orders asks it. */
public interface RiskGate {
  /** Whether the order fits the account's limits; if it does, its notional now counts. */
  Answer check(String account, Isin isin, long quantity, BigDecimal price, Currency currency);

  sealed interface Answer {
    record Approved() implements Answer {}

    record Breached(String reason) implements Answer {}

    record Unavailable(String why) implements Answer {}
  }
}
