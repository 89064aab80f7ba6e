package dev.firemesh.examples.trading.orders.domain;

import dev.firemesh.chassis.refdata.standard.Isin;

/** Reference data, as orders asks it. */
public interface InstrumentDirectory {
  Lookup<ListedInstrument> instrument(Isin isin);

  Lookup<TradingAccount> account(String id);
}
