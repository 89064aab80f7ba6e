package dev.firemesh.chassis.refdata.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.firemesh.chassis.refdata.InvalidReferenceDataException;
import dev.firemesh.chassis.refdata.ReferenceSet;
import dev.firemesh.chassis.refdata.standard.Cfi;
import dev.firemesh.chassis.refdata.standard.CountryCode;
import dev.firemesh.chassis.refdata.standard.CurrencyCode;
import dev.firemesh.chassis.refdata.standard.Isin;
import dev.firemesh.chassis.refdata.standard.Mic;
import java.math.BigDecimal;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.EnumSet;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ReferenceSetsTest {
  /** As the owner and the replicas read JSON: floats as BigDecimal, so amounts stay exact. */
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

  private static final Venue XLON =
      new Venue(
          new Mic("XLON"),
          new Mic("XLON"),
          "London Stock Exchange",
          new CountryCode("GB"),
          ZoneId.of("Europe/London"),
          TradingHours.weekdays(LocalTime.of(8, 0), LocalTime.of(16, 30)),
          VenueStatus.ACTIVE);

  private static final Instrument BAE =
      new Instrument(
          new Isin("GB0002634946"),
          "BAE Systems plc",
          new Cfi("ESVUFR"),
          new CurrencyCode("GBP"),
          new BigDecimal("0.005"),
          1,
          new Mic("XLON"),
          InstrumentStatus.ACTIVE);

  private static final TradeAccount ACCOUNT =
      new TradeAccount(
          "ACC-1001",
          "Alder Capital Partners",
          new CurrencyCode("GBP"),
          AccountStatus.OPEN,
          new AccountLimits(new BigDecimal("5000000.00"), 2_000_000, new BigDecimal("750000.25")));

  @Test
  void theJsonFormIsCamelCaseWithExactNumbersTimesAndZones() throws Exception {
    assertThat(JSON.writeValueAsString(ReferenceSets.VENUES.toJson(XLON)))
        .isEqualTo(
            "{\"mic\":\"XLON\",\"operatingMic\":\"XLON\",\"name\":\"London Stock Exchange\","
                + "\"country\":\"GB\",\"timeZone\":\"Europe/London\",\"hours\":{\"open\":\"08:00\","
                + "\"close\":\"16:30\",\"days\":[\"MONDAY\",\"TUESDAY\",\"WEDNESDAY\",\"THURSDAY\","
                + "\"FRIDAY\"]},\"status\":\"ACTIVE\"}");
    assertThat(JSON.writeValueAsString(ReferenceSets.INSTRUMENTS.toJson(BAE)))
        .isEqualTo(
            "{\"isin\":\"GB0002634946\",\"name\":\"BAE Systems plc\",\"cfi\":\"ESVUFR\","
                + "\"currency\":\"GBP\",\"tickSize\":0.005,\"lotSize\":1,\"listingVenue\":\"XLON\","
                + "\"status\":\"ACTIVE\"}");
    assertThat(JSON.writeValueAsString(ReferenceSets.ACCOUNTS.toJson(ACCOUNT)))
        .isEqualTo(
            "{\"accountId\":\"ACC-1001\",\"owner\":\"Alder Capital Partners\","
                + "\"baseCurrency\":\"GBP\",\"status\":\"OPEN\",\"limits\":{\"maxOrderNotional\":"
                + "5000000,\"maxPosition\":2000000,\"dailyLossLimit\":750000.25}}");
  }

  @Test
  void namesKeysAndIndexes() {
    assertThat(ReferenceSets.all())
        .map(ReferenceSet::name)
        .containsExactly("venues", "instruments", "accounts");
    assertThat(ReferenceSets.VENUES.keyOf(XLON)).isEqualTo("XLON");
    assertThat(ReferenceSets.INSTRUMENTS.keyOf(BAE)).isEqualTo("GB0002634946");
    assertThat(ReferenceSets.ACCOUNTS.keyOf(ACCOUNT)).isEqualTo("ACC-1001");
    assertThat(ReferenceSets.VENUES.indexes().get("country").apply(XLON)).isEqualTo("GB");
    assertThat(ReferenceSets.INSTRUMENTS.indexes().get("venue").apply(BAE)).isEqualTo("XLON");
    assertThat(ReferenceSets.INSTRUMENTS.indexes().get("currency").apply(BAE)).isEqualTo("GBP");
    assertThat(ReferenceSets.ACCOUNTS.indexes().get("currency").apply(ACCOUNT)).isEqualTo("GBP");
    assertThat(ReferenceSets.ACCOUNTS.indexes().get("owner").apply(ACCOUNT))
        .isEqualTo("Alder Capital Partners");
  }

  @Property
  void venuesSurviveAJsonRoundTrip(@ForAll("venues") Venue venue) throws Exception {
    assertThat(roundTrip(ReferenceSets.VENUES, venue)).isEqualTo(venue);
  }

  @Property
  void instrumentsSurviveAJsonRoundTrip(@ForAll("instruments") Instrument instrument)
      throws Exception {
    Instrument back = roundTrip(ReferenceSets.INSTRUMENTS, instrument);
    assertThat(back).isEqualTo(instrument);
    assertThat(back.tickSize().toPlainString()).isEqualTo(instrument.tickSize().toPlainString());
  }

  @Property
  void accountsSurviveAJsonRoundTrip(@ForAll("accounts") TradeAccount account) throws Exception {
    TradeAccount back = roundTrip(ReferenceSets.ACCOUNTS, account);
    assertThat(back).isEqualTo(account);
    assertThat(back.limits().maxOrderNotional())
        .isEqualByComparingTo(account.limits().maxOrderNotional());
  }

  @Test
  void amountsCompareByValueAndKeepEveryDigit() throws Exception {
    Instrument tenth = withTick(BAE, "0.010");
    assertThat(tenth).isEqualTo(withTick(BAE, "0.01"));
    assertThat(tenth.tickSize().toPlainString()).isEqualTo("0.01");
    Instrument fine = withTick(BAE, "0.000000000000000000123456789");
    assertThat(roundTrip(ReferenceSets.INSTRUMENTS, fine).tickSize())
        .isEqualTo(new BigDecimal("0.000000000000000000123456789"));
    assertThat(withTick(BAE, "100.00").tickSize().toPlainString()).isEqualTo("100");
  }

  /** Each bad or missing field refused with its path, as a user fixing a command needs it. */
  @ParameterizedTest(name = "{0} {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "venues      | mic                  | \"XLO\"      | mic: MIC XLO: 3 characters, expected 4",
        "venues      | operatingMic         | null       | operatingMic: missing",
        "venues      | name                 | \"  \"     | name: must not be blank",
        "venues      | country              | \"UK\"     | country: country UK: not an assigned ISO 3166-1 alpha-2 code (the United Kingdom is GB)",
        "venues      | timeZone             | \"BST\"    | timeZone: \"BST\" is not a time zone id (expected a region such as Europe/London)",
        "venues      | hours.open           | \"8:00\"   | hours.open: expected a time as HH:mm (00:00 to 23:59), got \"8:00\"",
        "venues      | hours.close          | \"07:00\"  | hours.close: must be after open (08:00), got 07:00",
        "venues      | hours.days           | []         | hours.days: must name at least one day",
        "venues      | hours.days           | [\"MONDAY\",\"FUNDAY\"] | hours.days[1]: \"FUNDAY\" is not one of MONDAY, TUESDAY, WEDNESDAY, THURSDAY, FRIDAY, SATURDAY, SUNDAY",
        "venues      | hours                | \"08:00-16:30\" | hours: expected an object, got string",
        "venues      | status               | \"OPEN\"   | status: \"OPEN\" is not one of ACTIVE, SUSPENDED, CLOSED",
        "instruments | isin                 | \"GB0002634947\" | isin: ISIN GB0002634947: check digit is 7, expected 6",
        "instruments | isin                 | 12         | isin: expected a string, got number",
        "instruments | cfi                  | \"ZSVUFR\" | cfi: CFI ZSVUFR: category Z is not one of E, C, D, R, O, F, S, H, I, J, K, L, T, M",
        "instruments | currency             | \"GBX\"    | currency: currency GBX: not an ISO 4217 code in force",
        "instruments | tickSize             | 0          | tickSize: must be greater than 0, got 0",
        "instruments | tickSize             | \"0.01\"   | tickSize: expected a number, got string",
        "instruments | lotSize              | 0          | lotSize: must be greater than 0, got 0",
        "instruments | lotSize              | 1.5        | lotSize: expected a whole number, got number",
        "instruments | listingVenue         | null       | listingVenue: missing",
        "instruments | status               | \"active\" | status: \"active\" is not one of ACTIVE, SUSPENDED, DELISTED",
        "accounts    | accountId            | \"acc 1\"  | accountId: \"acc 1\" is not 3 to 32 upper-case letters, digits or hyphens",
        "accounts    | owner                | null       | owner: missing",
        "accounts    | baseCurrency         | \"EURO\"   | baseCurrency: currency EURO: expected 3 upper-case letters (ISO 4217)",
        "accounts    | limits.maxOrderNotional | -1      | limits.maxOrderNotional: must be 0 or more, got -1",
        "accounts    | limits.maxPosition   | -5         | limits.maxPosition: must be 0 or more, got -5",
        "accounts    | limits.dailyLossLimit | null      | limits.dailyLossLimit: missing",
        "accounts    | limits               | null       | limits: missing",
      })
  void aBadOrMissingFieldIsRefusedByName(String set, String path, String value, String message)
      throws Exception {
    ReferenceSet<?> referenceSet = byName(set);
    ObjectNode json = (ObjectNode) toJson(referenceSet);
    ObjectNode parent = json;
    String[] steps = path.split("\\.");
    for (int i = 0; i < steps.length - 1; i++) {
      parent = (ObjectNode) parent.get(steps[i]);
    }
    JsonNode replacement = JSON.readTree(value);
    if (replacement.isNull()) {
      parent.remove(steps[steps.length - 1]);
    } else {
      parent.set(steps[steps.length - 1], replacement);
    }
    assertThatThrownBy(() -> referenceSet.fromJson(json))
        .isInstanceOf(InvalidReferenceDataException.class)
        .hasMessage(message)
        .satisfies(
            e ->
                assertThat(((InvalidReferenceDataException) e).field())
                    .isEqualTo(message.substring(0, message.indexOf(':'))));
  }

  @Test
  void aRecordMustBeAnObjectAndMayCarryFieldsItDoesNotKnow() throws Exception {
    assertThatThrownBy(() -> ReferenceSets.VENUES.fromJson(JSON.readTree("[]")))
        .isInstanceOf(InvalidReferenceDataException.class)
        .hasMessage("expected a JSON object, got ARRAY");
    ObjectNode newer = (ObjectNode) ReferenceSets.INSTRUMENTS.toJson(BAE);
    newer.put("shortSellable", true);
    assertThat(ReferenceSets.INSTRUMENTS.fromJson(newer)).isEqualTo(BAE);
  }

  @Test
  void recordsRefuseValuesOutsideTheirRangesWhenBuiltInCode() {
    assertThatThrownBy(() -> withTick(BAE, "-0.01"))
        .isInstanceOf(InvalidReferenceDataException.class)
        .hasMessage("tickSize: must be greater than 0, got -0.01");
    assertThatThrownBy(() -> new AccountLimits(BigDecimal.ONE, 1, new BigDecimal("-0.5")))
        .hasMessage("dailyLossLimit: must be 0 or more, got -0.5");
    assertThatThrownBy(
            () -> new TradingHours(LocalTime.NOON, LocalTime.NOON, EnumSet.of(DayOfWeek.MONDAY)))
        .hasMessage("close: must be after open (12:00), got 12:00");
    assertThatThrownBy(
            () ->
                new TradeAccount(
                    "A".repeat(33),
                    "x",
                    new CurrencyCode("EUR"),
                    AccountStatus.OPEN,
                    ACCOUNT.limits()))
        .hasMessageStartingWith("accountId: ");
  }

  @Test
  void venueHoursAreInTheVenuesZoneAndInstrumentsKnowTheirTicksAndLots() {
    // 08:00 in London in winter is 08:00 UTC; in summer 07:00 UTC.
    assertThat(XLON.isOpenAt(Instant.parse("2026-01-05T08:00:00Z"))).isTrue();
    assertThat(XLON.isOpenAt(Instant.parse("2026-01-05T07:59:59Z"))).isFalse();
    assertThat(XLON.isOpenAt(Instant.parse("2026-07-06T07:00:00Z"))).isTrue();
    assertThat(XLON.isOpenAt(Instant.parse("2026-07-06T15:30:00Z"))).isFalse();
    assertThat(XLON.isOpenAt(Instant.parse("2026-01-10T10:00:00Z"))).as("Saturday").isFalse();
    assertThat(BAE.isOnTick(new BigDecimal("17.655"))).isTrue();
    assertThat(BAE.isOnTick(new BigDecimal("17.652"))).isFalse();
    Instrument boardLot = withLot(BAE, 500);
    assertThat(boardLot.isWholeLots(1500)).isTrue();
    assertThat(boardLot.isWholeLots(250)).isFalse();
    assertThat(boardLot.isWholeLots(0)).isFalse();
  }

  private static <V> V roundTrip(ReferenceSet<V> set, V value) throws Exception {
    String text = JSON.writeValueAsString(set.toJson(value));
    return set.fromJson(JSON.readTree(text));
  }

  private static ReferenceSet<?> byName(String name) {
    return ReferenceSets.all().stream()
        .filter(s -> s.name().equals(name))
        .findFirst()
        .orElseThrow();
  }

  private static JsonNode toJson(ReferenceSet<?> set) {
    return switch (set.name()) {
      case "venues" -> ReferenceSets.VENUES.toJson(XLON);
      case "instruments" -> ReferenceSets.INSTRUMENTS.toJson(BAE);
      default -> ReferenceSets.ACCOUNTS.toJson(ACCOUNT);
    };
  }

  private static Instrument withTick(Instrument i, String tick) {
    return new Instrument(
        i.isin(),
        i.name(),
        i.cfi(),
        i.currency(),
        new BigDecimal(tick),
        i.lotSize(),
        i.listingVenue(),
        i.status());
  }

  private static Instrument withLot(Instrument i, long lot) {
    return new Instrument(
        i.isin(), i.name(), i.cfi(), i.currency(), i.tickSize(), lot, i.listingVenue(), i.status());
  }

  @Provide
  Arbitrary<Venue> venues() {
    Arbitrary<Mic> mic =
        Arbitraries.strings()
            .withCharRange('A', 'Z')
            .withCharRange('0', '9')
            .ofLength(4)
            .map(Mic::new);
    Arbitrary<LocalTime> open =
        Arbitraries.integers().between(0, 22 * 60).map(m -> LocalTime.of(m / 60, m % 60));
    Arbitrary<TradingHours> hours =
        Combinators.combine(
                open,
                Arbitraries.integers().between(1, 60 * 10),
                Arbitraries.subsetOf(DayOfWeek.values()).ofMinSize(1))
            .as(
                (o, minutes, days) -> {
                  LocalTime close = o.plusMinutes(minutes);
                  return new TradingHours(o, close.isAfter(o) ? close : LocalTime.of(23, 59), days);
                });
    return Combinators.combine(
            mic,
            mic,
            names(),
            Arbitraries.of(CountryCode.all()),
            Arbitraries.of(
                    List.of(
                        "Europe/London",
                        "Asia/Tokyo",
                        "America/New_York",
                        "UTC",
                        "Asia/Kolkata",
                        "Australia/Sydney"))
                .map(ZoneId::of),
            hours,
            Arbitraries.of(VenueStatus.class))
        .as(Venue::new);
  }

  @Provide
  Arbitrary<Instrument> instruments() {
    Arbitrary<Isin> isin =
        Arbitraries.strings()
            .withCharRange('0', '9')
            .withCharRange('A', 'Z')
            .ofLength(9)
            .flatMap(n -> Arbitraries.of(CountryCode.all()).map(c -> Isin.of(c.code() + n)));
    return Combinators.combine(
            isin,
            names(),
            Arbitraries.of("ESVUFR", "EPNUFB", "CEOIES", "DBFTFR", "RWSNCA", "OCASPS")
                .map(Cfi::new),
            Arbitraries.of(CurrencyCode.all()),
            positiveAmounts(),
            Arbitraries.longs().between(1, Long.MAX_VALUE),
            Arbitraries.of("XLON", "XNYS", "XTKS", "BATE").map(Mic::new),
            Arbitraries.of(InstrumentStatus.class))
        .as(Instrument::new);
  }

  @Provide
  Arbitrary<TradeAccount> accounts() {
    Arbitrary<String> id =
        Arbitraries.strings()
            .withCharRange('A', 'Z')
            .withCharRange('0', '9')
            .withChars('-')
            .ofMinLength(3)
            .ofMaxLength(32);
    Arbitrary<AccountLimits> limits =
        Combinators.combine(
                positiveAmounts(),
                Arbitraries.longs().between(0, Long.MAX_VALUE),
                Arbitraries.oneOf(positiveAmounts(), Arbitraries.just(BigDecimal.ZERO)))
            .as(AccountLimits::new);
    return Combinators.combine(
            id,
            names(),
            Arbitraries.of(CurrencyCode.all()),
            Arbitraries.of(AccountStatus.class),
            limits)
        .as(TradeAccount::new);
  }

  /** Amounts as written by people and by arithmetic: 0.01, 5000000.00, 1E-12, 123456789.123456. */
  private static Arbitrary<BigDecimal> positiveAmounts() {
    return Combinators.combine(
            Arbitraries.longs().between(1, Long.MAX_VALUE / 2),
            Arbitraries.integers().between(-6, 20))
        .as((unscaled, scale) -> BigDecimal.valueOf(unscaled, scale));
  }

  /** Names with the characters real ones have: accents, ampersands, quotes, dots. */
  private static Arbitrary<String> names() {
    return Arbitraries.strings()
        .withCharRange('a', 'z')
        .withChars("ABCÉéüß&'.- ()")
        .ofMinLength(1)
        .ofMaxLength(40)
        .filter(s -> !s.isBlank());
  }
}
