package dev.firemesh.examples.trading.referencedata.domain;

import dev.firemesh.chassis.refdata.standard.Cfi;
import dev.firemesh.chassis.refdata.standard.Isin;
import dev.firemesh.chassis.refdata.standard.Mic;
import java.math.BigDecimal;
import java.util.Currency;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The reference data set: venues, instruments and accounts, immutable and consistent (every
 * instrument is listed on a known venue; identifiers are unique).
 */
public final class ReferenceData {
  private final Map<Mic, Venue> venues;
  private final Map<Isin, Instrument> instruments;
  private final Map<String, Account> accounts;

  public ReferenceData(List<Venue> venues, List<Instrument> instruments, List<Account> accounts) {
    this.venues = index(venues, Venue::mic, "venue");
    this.instruments = index(instruments, Instrument::isin, "instrument");
    this.accounts = index(accounts, Account::id, "account");
    for (Instrument instrument : instruments) {
      if (!this.venues.containsKey(instrument.venue())) {
        throw new IllegalArgumentException(
            instrument.isin()
                + " is listed on "
                + instrument.venue()
                + ", which is no known venue");
      }
    }
  }

  private static <K, V> Map<K, V> index(List<V> values, Function<V, K> key, String what) {
    Map<K, V> index = new LinkedHashMap<>();
    for (V value : values) {
      if (index.putIfAbsent(key.apply(value), value) != null) {
        throw new IllegalArgumentException("two " + what + "s with the id " + key.apply(value));
      }
    }
    return java.util.Collections.unmodifiableMap(index);
  }

  public List<Venue> venues() {
    return List.copyOf(venues.values());
  }

  public List<Instrument> instruments() {
    return List.copyOf(instruments.values());
  }

  public List<Account> accounts() {
    return List.copyOf(accounts.values());
  }

  public Optional<Venue> venue(Mic mic) {
    return Optional.ofNullable(venues.get(mic));
  }

  public Optional<Instrument> instrument(Isin isin) {
    return Optional.ofNullable(instruments.get(isin));
  }

  public Optional<Account> account(String id) {
    return Optional.ofNullable(accounts.get(id));
  }

  /**
   * A small European and US equity universe: real venues and real issuers' ISINs, with prices of
   * the right order of magnitude, and four accounts, one of them closed.
   */
  public static ReferenceData sample() {
    Mic xlon = new Mic("XLON");
    Mic xpar = new Mic("XPAR");
    Mic xetr = new Mic("XETR");
    Mic xnys = new Mic("XNYS");
    Cfi ordinaryShares = new Cfi("ESVUFR");
    Currency gbp = Currency.getInstance("GBP");
    Currency eur = Currency.getInstance("EUR");
    Currency usd = Currency.getInstance("USD");
    return new ReferenceData(
        List.of(
            new Venue(xlon, "London Stock Exchange", "GB"),
            new Venue(xpar, "Euronext Paris", "FR"),
            new Venue(xetr, "Xetra", "DE"),
            new Venue(xnys, "New York Stock Exchange", "US")),
        List.of(
            share("GB0007980591", ordinaryShares, "BP p.l.c.", xlon, gbp, "0.001", "4.512"),
            share("GB0002634946", ordinaryShares, "BAE Systems plc", xlon, gbp, "0.005", "17.650"),
            share("GB0009895292", ordinaryShares, "AstraZeneca PLC", xlon, gbp, "0.02", "108.40"),
            share("FR0000131104", ordinaryShares, "BNP Paribas SA", xpar, eur, "0.01", "62.35"),
            share("FR0000120271", ordinaryShares, "TotalEnergies SE", xpar, eur, "0.005", "56.780"),
            share("DE0007164600", ordinaryShares, "SAP SE", xetr, eur, "0.05", "238.45"),
            share("DE0008404005", ordinaryShares, "Allianz SE", xetr, eur, "0.1", "352.4"),
            share("US4592001014", ordinaryShares, "IBM Corp.", xnys, usd, "0.01", "221.37"),
            share(
                "US1912161007",
                ordinaryShares,
                "The Coca-Cola Company",
                xnys,
                usd,
                "0.01",
                "68.92")),
        List.of(
            new Account("ACC-1001", "Alder Capital Partners", AccountStatus.OPEN),
            new Account("ACC-1002", "Harbour Pension Fund", AccountStatus.OPEN),
            new Account("ACC-1003", "Northwind Family Office", AccountStatus.OPEN),
            new Account("ACC-9001", "Meridian Holdings (closed 2025)", AccountStatus.CLOSED)));
  }

  private static Instrument share(
      String isin,
      Cfi cfi,
      String name,
      Mic venue,
      Currency currency,
      String tick,
      String previousClose) {
    return new Instrument(
        new Isin(isin),
        cfi,
        name,
        venue,
        currency,
        new BigDecimal(tick),
        new BigDecimal(previousClose));
  }
}
