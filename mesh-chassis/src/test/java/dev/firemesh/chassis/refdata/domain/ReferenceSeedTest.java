package dev.firemesh.chassis.refdata.domain;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.firemesh.chassis.refdata.ReferenceSet;
import dev.firemesh.chassis.refdata.standard.Isin;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ReferenceSeedTest {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

  /** The currency each seed venue quotes in. */
  private static final Map<String, String> CURRENCY_OF_VENUE =
      Map.of(
          "XLON", "GBP", "XNYS", "USD", "XNAS", "USD", "XPAR", "EUR", "XAMS", "EUR", "XETR", "EUR",
          "XSWX", "CHF", "XTKS", "JPY", "XHKG", "HKD", "XTSE", "CAD");

  @Test
  void theVenuesAreTheRealOnesWithTheirOperatingMicsZonesAndHours() {
    Map<String, Venue> venues = byKey(ReferenceSets.VENUES, ReferenceSeed.venues());
    assertThat(venues.keySet()).containsExactlyInAnyOrderElementsOf(CURRENCY_OF_VENUE.keySet());
    Venue xetr = venues.get("XETR");
    assertThat(xetr.operatingMic().code()).isEqualTo("XFRA");
    assertThat(xetr.timeZone().getId()).isEqualTo("Europe/Berlin");
    assertThat(venues.get("XTKS").operatingMic().code()).isEqualTo("XJPX");
    assertThat(venues.get("XNYS").hours().open()).hasToString("09:30");
    assertThat(venues.get("XLON").hours().close()).hasToString("16:30");
    assertThat(venues.get("XHKG").country().code()).isEqualTo("HK");
  }

  @Test
  void aFewHundredInstrumentsWithUniqueValidIsinsMatchingTheirVenue() {
    List<Instrument> instruments = ReferenceSeed.instruments();
    assertThat(instruments).hasSizeGreaterThanOrEqualTo(300);
    Map<String, Instrument> byIsin = byKey(ReferenceSets.INSTRUMENTS, instruments);
    assertThat(byIsin.get("US0378331005").name()).isEqualTo("Apple Inc.");
    assertThat(byIsin.get("GB0002634946").name()).isEqualTo("BAE Systems plc");
    Map<String, Venue> venues = byKey(ReferenceSets.VENUES, ReferenceSeed.venues());
    for (Instrument instrument : instruments) {
      Venue venue = venues.get(instrument.listingVenue().code());
      assertThat(venue).as("%s's venue", instrument.isin()).isNotNull();
      assertThat(Isin.problem(instrument.isin().value())).isEmpty();
      assertThat(instrument.isin().prefix())
          .as("%s listed on %s", instrument.isin(), venue.mic())
          .isEqualTo(venue.country().code());
      assertThat(instrument.currency().code())
          .as("%s", instrument.isin())
          .isEqualTo(CURRENCY_OF_VENUE.get(venue.mic().code()));
    }
    assertThat(instruments.stream().map(Instrument::listingVenue).distinct()).hasSize(10);
    assertThat(instruments.stream().map(Instrument::name).collect(Collectors.toSet()))
        .as("names unique")
        .hasSameSizeAs(instruments);
    assertThat(instruments).anyMatch(i -> i.status() != InstrumentStatus.ACTIVE);
    assertThat(instruments).anyMatch(i -> i.cfi().code().startsWith("CE"));
  }

  @Test
  void aboutTwentyAccountsWithUniqueIds() {
    List<TradeAccount> accounts = ReferenceSeed.accounts();
    assertThat(accounts).hasSizeBetween(18, 25);
    byKey(ReferenceSets.ACCOUNTS, accounts);
    assertThat(accounts).anyMatch(a -> a.status() == AccountStatus.CLOSED);
    assertThat(accounts).anyMatch(a -> a.status() == AccountStatus.RESTRICTED);
    assertThat(accounts.stream().map(a -> a.baseCurrency().code()).distinct())
        .contains("GBP", "USD", "EUR", "JPY");
  }

  /** Every seed record is what its set reads back from its own JSON: valid, and exact. */
  @Test
  void everySeedRecordSurvivesAJsonRoundTrip() throws Exception {
    assertRoundTrips(ReferenceSets.VENUES, ReferenceSeed.venues());
    assertRoundTrips(ReferenceSets.INSTRUMENTS, ReferenceSeed.instruments());
    assertRoundTrips(ReferenceSets.ACCOUNTS, ReferenceSeed.accounts());
  }

  @Test
  void theMadeUpListingsAreTheSameEveryTime() {
    GeneratedListings.Market market =
        new GeneratedListings.Market(
            "XNYS", "USD", "Corporation", "US", new String[] {"0.01"}, new long[] {1});
    assertThat(GeneratedListings.of(market, "US", 50, new HashSet<>()))
        .isEqualTo(GeneratedListings.of(market, "US", 50, new HashSet<>()));
  }

  /** The national numbers follow their schemes, check digits included. */
  @Test
  void cusipsAndSedolsCarryTheirOwnCheckDigits() {
    // Known: Apple's CUSIP 037833100, BAE Systems' SEDOL 0263494.
    assertThat(cusipCheck("03783310")).isEqualTo('0');
    assertThat(sedolCheck("026349")).isEqualTo('4');
    Random random = new Random(7);
    for (int i = 0; i < 1000; i++) {
      String cusip = GeneratedListings.cusip(random);
      assertThat(cusip.charAt(8)).as(cusip).isEqualTo(cusipCheck(cusip.substring(0, 8)));
      String sedol = GeneratedListings.sedol(random);
      assertThat(sedol.charAt(6)).as(sedol).isEqualTo(sedolCheck(sedol.substring(0, 6)));
    }
  }

  private static char cusipCheck(String base) {
    int sum = 0;
    for (int i = 0; i < 8; i++) {
      int v = Character.digit(base.charAt(i), 36) * (i % 2 == 1 ? 2 : 1);
      sum += v / 10 + v % 10;
    }
    return (char) ('0' + (10 - sum % 10) % 10);
  }

  private static char sedolCheck(String base) {
    int[] weights = {1, 3, 1, 7, 3, 9};
    int sum = 0;
    for (int i = 0; i < 6; i++) {
      sum += Character.digit(base.charAt(i), 36) * weights[i];
    }
    return (char) ('0' + (10 - sum % 10) % 10);
  }

  private static <V> void assertRoundTrips(ReferenceSet<V> set, List<V> records) throws Exception {
    for (V record : records) {
      V back = set.fromJson(JSON.readTree(JSON.writeValueAsString(set.toJson(record))));
      assertThat(back).as(set.keyOf(record)).isEqualTo(record);
    }
  }

  /** The records by key, failing on a duplicate key. */
  private static <V> Map<String, V> byKey(ReferenceSet<V> set, List<V> records) {
    Set<String> keys = new HashSet<>();
    for (V record : records) {
      assertThat(keys.add(set.keyOf(record))).as("duplicate key %s", set.keyOf(record)).isTrue();
    }
    return records.stream().collect(Collectors.toMap(set::keyOf, Function.identity()));
  }
}
