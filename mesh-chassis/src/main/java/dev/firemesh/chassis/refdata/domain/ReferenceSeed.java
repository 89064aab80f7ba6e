package dev.firemesh.chassis.refdata.domain;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.firemesh.chassis.refdata.InvalidReferenceDataException;
import dev.firemesh.chassis.refdata.ReferenceSet;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A realistic starting set of reference data for demos and tests: ten real venues (XLON, XNYS,
 * XNAS, XPAR, XAMS, XETR, XSWX, XTKS, XHKG, XTSE) with their operating MICs, time zones and regular
 * hours; about a hundred real issuers' shares with their published ISINs, and two hundred made-up
 * listings with valid ISINs in each venue's national numbering scheme; twenty-one trade accounts in
 * several base currencies, two restricted and one closed.
 *
 * <p>Every record is read through {@link ReferenceSets}, so the seed passes the same validation as
 * a command to the owner. The lists are the same in every process and every run.
 */
public final class ReferenceSeed {
  private static final String RESOURCES = "/dev/firemesh/chassis/refdata/seed/";

  /** Made-up listings per venue, beside the real ones. */
  private static final int GENERATED_PER_VENUE = 20;

  private static final List<GeneratedListings.Market> MARKETS =
      List.of(
          market("XLON", "GBP", "plc", "FTSE UK", ticks("0.0005", "0.001", "0.0025", "0.005"), 1),
          market("XNYS", "USD", "Corporation", "US Large Cap", ticks("0.01"), 1),
          market("XNAS", "USD", "Inc.", "US Technology", ticks("0.01"), 1),
          market("XPAR", "EUR", "SA", "France", ticks("0.001", "0.005", "0.01", "0.02"), 1),
          market("XAMS", "EUR", "N.V.", "Netherlands", ticks("0.001", "0.005", "0.01", "0.02"), 1),
          market("XETR", "EUR", "AG", "DAX", ticks("0.001", "0.002", "0.005", "0.01", "0.05"), 1),
          market("XSWX", "CHF", "AG", "Swiss Market", ticks("0.01", "0.02", "0.05", "0.1"), 1),
          market("XTKS", "JPY", "Co. Ltd.", "TOPIX", ticks("0.1", "0.5", "1", "5"), 100),
          new GeneratedListings.Market(
              "XHKG",
              "HKD",
              "Holdings Limited",
              "Hang Seng",
              ticks("0.01", "0.02", "0.05", "0.1", "0.2"),
              new long[] {100, 200, 400, 500, 1000, 2000}),
          market("XTSE", "CAD", "Inc.", "Canada Composite", ticks("0.005", "0.01"), 1));

  private ReferenceSeed() {}

  public static List<Venue> venues() {
    return Loaded.VENUES;
  }

  /** The real issuers first, in the seed file's order, then the made-up listings venue by venue. */
  public static List<Instrument> instruments() {
    return Loaded.INSTRUMENTS;
  }

  public static List<TradeAccount> accounts() {
    return Loaded.ACCOUNTS;
  }

  /** Read on first use: a service that never seeds never pays for it. */
  private static final class Loaded {
    static final List<Venue> VENUES = read(ReferenceSets.VENUES, "venues.json");
    static final List<Instrument> INSTRUMENTS =
        withGenerated(read(ReferenceSets.INSTRUMENTS, "instruments.json"));
    static final List<TradeAccount> ACCOUNTS = read(ReferenceSets.ACCOUNTS, "accounts.json");
  }

  private static List<Instrument> withGenerated(List<Instrument> real) {
    Map<String, String> countryOf =
        Loaded.VENUES.stream()
            .collect(Collectors.toMap(v -> v.mic().code(), v -> v.country().code()));
    Set<String> taken = new HashSet<>();
    real.forEach(i -> taken.add(i.isin().value()));
    List<Instrument> all = new ArrayList<>(real);
    for (GeneratedListings.Market market : MARKETS) {
      all.addAll(
          GeneratedListings.of(market, countryOf.get(market.mic()), GENERATED_PER_VENUE, taken));
    }
    return List.copyOf(all);
  }

  private static <V> List<V> read(ReferenceSet<V> set, String file) {
    ObjectMapper json =
        new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
    try (InputStream in = ReferenceSeed.class.getResourceAsStream(RESOURCES + file)) {
      if (in == null) {
        throw new IllegalStateException(
            "the seed " + RESOURCES + file + " is not on the class path");
      }
      List<V> records = new ArrayList<>();
      JsonNode array = json.readTree(in);
      for (int i = 0; i < array.size(); i++) {
        try {
          records.add(set.fromJson(array.get(i)));
        } catch (InvalidReferenceDataException e) {
          throw new IllegalStateException(
              "seed " + file + " record " + i + ": " + e.getMessage(), e);
        }
      }
      return List.copyOf(records);
    } catch (IOException e) {
      throw new UncheckedIOException("reading the seed " + file, e);
    }
  }

  private static GeneratedListings.Market market(
      String mic, String currency, String suffix, String etfName, String[] ticks, long lot) {
    return new GeneratedListings.Market(mic, currency, suffix, etfName, ticks, new long[] {lot});
  }

  private static String[] ticks(String... ticks) {
    return ticks;
  }
}
