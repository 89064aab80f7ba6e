package dev.firemesh.chassis.refdata.domain;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.firemesh.chassis.refdata.ReferenceSet;
import java.util.List;

/**
 * The trading platform's reference sets: their names, keys, JSON form and indexes.
 *
 * <p>JSON: field names in camelCase; amounts as JSON numbers (read them with a parser that keeps
 * floats as {@code BigDecimal}, Jackson's {@code USE_BIG_DECIMAL_FOR_FLOATS}, to keep them exact);
 * times as {@code HH:mm} in the venue's zone; zones as region ids ({@code Europe/London}); enums by
 * name. Unknown fields are ignored; a missing or bad one is refused with its path.
 */
public final class ReferenceSets {
  /** Keeps amounts as given: no rounding through double, no stripping behind the records' back. */
  static final JsonNodeFactory NODES = JsonNodeFactory.withExactBigDecimals(true);

  /** Venues by MIC ({@code XLON}); index {@code country} (ISO 3166 code). */
  public static final ReferenceSet<Venue> VENUES = new Venues();

  /**
   * Instruments by ISIN; indexes {@code venue} (the listing venue's MIC) and {@code currency} (ISO
   * 4217 code).
   */
  public static final ReferenceSet<Instrument> INSTRUMENTS = new Instruments();

  /** Trade accounts by account id; indexes {@code currency} (base currency) and {@code owner}. */
  public static final ReferenceSet<TradeAccount> ACCOUNTS = new TradeAccounts();

  private ReferenceSets() {}

  /**
   * The three sets, venues first: the order an owner seeds them in, referenced before referrers.
   */
  public static List<ReferenceSet<?>> all() {
    return List.of(VENUES, INSTRUMENTS, ACCOUNTS);
  }
}
