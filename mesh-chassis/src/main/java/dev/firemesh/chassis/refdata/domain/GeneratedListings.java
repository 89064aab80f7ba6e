package dev.firemesh.chassis.refdata.domain;

import dev.firemesh.chassis.refdata.standard.Cfi;
import dev.firemesh.chassis.refdata.standard.CurrencyCode;
import dev.firemesh.chassis.refdata.standard.Isin;
import dev.firemesh.chassis.refdata.standard.Mic;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * Made-up listings that fill out the seed beside the real issuers: for a venue, shares (and a few
 * ETFs) with names of the venue's country's style, ISINs whose national numbers follow that
 * country's scheme (a CUSIP with its own check digit in the US and Canada, a SEDOL with its check
 * digit in the UK, a WKN in Germany, ...) and the ISO 6166 check digit, ticks and lots of the
 * venue's kind. Deterministic: {@link Random} is specified, so every JVM makes the same seed.
 */
final class GeneratedListings {
  private static final String[] STEMS = {
    "Albion",
    "Ashford",
    "Beacon",
    "Belvedere",
    "Blackwater",
    "Bramble",
    "Caldera",
    "Cedar",
    "Clearwater",
    "Coastal",
    "Copperfield",
    "Crescent",
    "Eastgate",
    "Evergreen",
    "Falcon",
    "Fieldstone",
    "Granite",
    "Greystone",
    "Halcyon",
    "Harbour",
    "Highland",
    "Ironbridge",
    "Juniper",
    "Kingsway",
    "Lakeside",
    "Larkspur",
    "Meridian",
    "Millbrook",
    "Northgate",
    "Oakmont",
    "Pinnacle",
    "Quarry",
    "Redwood",
    "Riverside",
    "Saltmarsh",
    "Silverline",
    "Southbank",
    "Stonebridge",
    "Summit",
    "Thornbury",
    "Vantage",
    "Westmoor",
    "Willow",
    "Zenith"
  };
  private static final String[] SECTORS = {
    "Industrial", "Energy", "Pharmaceuticals", "Logistics", "Foods", "Telecom", "Semiconductor",
    "Insurance", "Bancorp", "Mining", "Retail", "Software", "Utilities", "Properties",
    "Chemicals", "Aerospace", "Biotech", "Shipping", "Media", "Engineering"
  };

  /** CUSIPs and WKNs leave out I and O, which read as 1 and 0. */
  private static final String ALPHANUMERIC = "0123456789ABCDEFGHJKLMNPQRSTUVWXYZ";

  private static final String SEDOL_CHARACTERS = "0123456789BCDFGHJKLMNPQRSTVWXYZ";

  /** The listing conventions of one venue. */
  record Market(
      String mic, String currency, String suffix, String etfName, String[] ticks, long[] lots) {}

  private GeneratedListings() {}

  /**
   * {@code count} listings for {@code market}, none with an ISIN in {@code taken} (which gains
   * theirs).
   */
  static List<Instrument> of(Market market, String country, int count, Set<String> taken) {
    Random random = new Random(market.mic().hashCode());
    Set<String> names = new HashSet<>();
    List<Instrument> listings = new ArrayList<>(count);
    while (listings.size() < count) {
      Isin isin = Isin.of(country + nationalNumber(country, random));
      boolean etf = random.nextInt(8) == 0;
      String stem = STEMS[random.nextInt(STEMS.length)];
      String name =
          etf
              ? stem + " " + market.etfName() + " ETF"
              : stem + " " + SECTORS[random.nextInt(SECTORS.length)] + " " + market.suffix();
      int fate = random.nextInt(40);
      if (!taken.add(isin.value()) || !names.add(name)) {
        continue;
      }
      listings.add(
          new Instrument(
              isin,
              name,
              new Cfi(etf ? "CEOIES" : "ESVUFR"),
              new CurrencyCode(market.currency()),
              new BigDecimal(market.ticks()[random.nextInt(market.ticks().length)]),
              market.lots()[random.nextInt(market.lots().length)],
              new Mic(market.mic()),
              fate == 0
                  ? InstrumentStatus.SUSPENDED
                  : fate == 1 ? InstrumentStatus.DELISTED : InstrumentStatus.ACTIVE));
    }
    return listings;
  }

  /** Nine characters in the country's national numbering scheme. */
  private static String nationalNumber(String country, Random random) {
    return switch (country) {
      case "US", "CA" -> cusip(random);
      case "GB" -> "00" + sedol(random);
      case "DE" -> "000A" + characters(ALPHANUMERIC, 5, random);
      case "FR" -> "0000" + digits(5, random);
      case "JP" -> "3" + digits(5, random) + "000";
      case "HK" -> "0" + digits(8, random);
      default -> "00" + digits(7, random); // NL and CH: a national number padded with zeros
    };
  }

  /** A CUSIP: six characters for the issuer, two for the issue, and its check digit. */
  static String cusip(Random random) {
    String base = digits(3, random) + characters(ALPHANUMERIC, 3, random) + "10";
    int sum = 0;
    for (int i = 0; i < 8; i++) {
      int v = Character.digit(base.charAt(i), 36);
      if (i % 2 == 1) {
        v *= 2;
      }
      sum += v / 10 + v % 10;
    }
    return base + (10 - sum % 10) % 10;
  }

  /** A SEDOL: B and five characters without vowels, then its weighted check digit. */
  static String sedol(Random random) {
    String base = "B" + characters(SEDOL_CHARACTERS, 5, random);
    int[] weights = {1, 3, 1, 7, 3, 9};
    int sum = 0;
    for (int i = 0; i < 6; i++) {
      sum += Character.digit(base.charAt(i), 36) * weights[i];
    }
    return base + (10 - sum % 10) % 10;
  }

  private static String digits(int count, Random random) {
    return characters("0123456789", count, random);
  }

  private static String characters(String alphabet, int count, Random random) {
    StringBuilder out = new StringBuilder(count);
    for (int i = 0; i < count; i++) {
      out.append(alphabet.charAt(random.nextInt(alphabet.length())));
    }
    return out.toString();
  }
}
