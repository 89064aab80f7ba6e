package dev.firemesh.examples.trading.orders.http;

import dev.firemesh.chassis.refdata.ReferenceView;
import dev.firemesh.chassis.refdata.domain.AccountStatus;
import dev.firemesh.chassis.refdata.domain.Instrument;
import dev.firemesh.chassis.refdata.domain.ReferenceSets;
import dev.firemesh.chassis.refdata.domain.TradeAccount;
import dev.firemesh.chassis.refdata.standard.Isin;
import dev.firemesh.examples.trading.orders.domain.InstrumentDirectory;
import dev.firemesh.examples.trading.orders.domain.ListedInstrument;
import dev.firemesh.examples.trading.orders.domain.Lookup;
import dev.firemesh.examples.trading.orders.domain.TradingAccount;
import java.util.Currency;
import java.util.function.Supplier;

/**
 * Reference data from this instance's live replica: lookups in memory, no call to reference-data.
 * The replica keeps its last view while the owner is away, so a lookup is never unavailable; the
 * replica's lag and health are the chassis's to report.
 */
final class ReplicaDirectory implements InstrumentDirectory {
  private final Supplier<ReferenceView> view;

  ReplicaDirectory(Supplier<ReferenceView> view) {
    this.view = view;
  }

  @Override
  public Lookup<ListedInstrument> instrument(Isin isin) {
    return view.get()
        .of(ReferenceSets.INSTRUMENTS)
        .get(isin.value())
        .<Lookup<ListedInstrument>>map(i -> new Lookup.Found<>(listed(i)))
        .orElseGet(Lookup.Missing::new);
  }

  @Override
  public Lookup<TradingAccount> account(String id) {
    return view.get()
        .of(ReferenceSets.ACCOUNTS)
        .get(id)
        .<Lookup<TradingAccount>>map(a -> new Lookup.Found<>(trading(a)))
        .orElseGet(Lookup.Missing::new);
  }

  private static ListedInstrument listed(Instrument instrument) {
    return new ListedInstrument(
        instrument.isin(),
        instrument.name(),
        instrument.listingVenue().code(),
        Currency.getInstance(instrument.currency().code()),
        instrument.tickSize());
  }

  /** A restricted account may only reduce risk, which this desk cannot tell: it takes no order. */
  private static TradingAccount trading(TradeAccount account) {
    return new TradingAccount(account.accountId(), account.status() == AccountStatus.OPEN);
  }
}
