package dev.firemesh.chassis.refdata.standard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Currency;
import java.util.Locale;
import java.util.OptionalInt;
import java.util.Set;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The embedded ISO 4217 and ISO 3166-1 lists, checked against what is known of them. */
class CodeListsTest {

  @Test
  void currenciesCarryTheirMinorUnits() {
    assertThat(CurrencyCode.parse("EUR").minorUnits()).hasValue(2);
    assertThat(CurrencyCode.parse("JPY").minorUnits()).hasValue(0);
    assertThat(CurrencyCode.parse("KWD").minorUnits()).hasValue(3);
    assertThat(CurrencyCode.parse("CLF").minorUnits()).hasValue(4);
    assertThat(CurrencyCode.parse("XAU").minorUnits()).isEqualTo(OptionalInt.empty());
    assertThat(CurrencyCode.parse("EUR").numericCode()).isEqualTo("978");
    assertThat(CurrencyCode.all()).hasSize(179).contains(new CurrencyCode("XCG"));
  }

  /**
   * Every country's currency in force, as the JVM's own ISO 4217 data has it, is on the embedded
   * list with the same minor units: a JDK that learns of a new currency makes this fail, and the
   * list is updated.
   */
  @Test
  void everyCountrysCurrencyInForceIsListedWithTheJdksMinorUnits() {
    for (String country : Locale.getISOCountries()) {
      Currency jdk = Currency.getInstance(Locale.of("", country));
      if (jdk == null) {
        continue; // Antarctica
      }
      CurrencyCode ours = CurrencyCode.parse(jdk.getCurrencyCode());
      assertThat(ours.minorUnits()).as(country).hasValue(jdk.getDefaultFractionDigits());
      assertThat(ours.numericCode()).as(country).isEqualTo(jdk.getNumericCodeAsString());
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"DEM", "FRF", "HRK", "ANG", "BGN", "ZWL", "SLL", "VEF", "EUX", "ABC"})
  void withdrawnAndUnknownCurrenciesAreRefused(String code) {
    assertThatThrownBy(() -> CurrencyCode.parse(code))
        .isInstanceOf(InvalidCodeException.class)
        .hasMessage("currency " + code + ": not an ISO 4217 code in force");
  }

  @Property
  void malformedCurrencyCodesAreRefused(@ForAll("notThreeUpperCaseLetters") String text) {
    assertThatThrownBy(() -> CurrencyCode.parse(text))
        .isInstanceOf(InvalidCodeException.class)
        .hasMessageEndingWith("expected 3 upper-case letters (ISO 4217)");
  }

  @Property
  void aCurrencyCodeIsAcceptedExactlyWhenListed(@ForAll("threeLetters") String text) {
    Set<String> listed =
        CurrencyCode.all().stream().map(CurrencyCode::code).collect(Collectors.toSet());
    if (listed.contains(text)) {
      assertThat(CurrencyCode.parse(text).code()).isEqualTo(text);
    } else {
      assertThatThrownBy(() -> CurrencyCode.parse(text)).isInstanceOf(InvalidCodeException.class);
    }
  }

  @Test
  void theCountryListIsIso3166Part1AsTheJdkKnowsIt() {
    assertThat(CountryCode.all())
        .map(CountryCode::code)
        .hasSize(249)
        .containsExactlyInAnyOrderElementsOf(
            Locale.getISOCountries(Locale.IsoCountryCode.PART1_ALPHA2));
  }

  @Test
  void countriesAreRefusedWithTheReason() {
    assertThat(CountryCode.parse("GB").code()).isEqualTo("GB");
    assertThatThrownBy(() -> CountryCode.parse("UK"))
        .hasMessage(
            "country UK: not an assigned ISO 3166-1 alpha-2 code (the United Kingdom is GB)");
    assertThatThrownBy(() -> CountryCode.parse("XK"))
        .hasMessage("country XK: not an assigned ISO 3166-1 alpha-2 code");
    assertThatThrownBy(() -> CountryCode.parse("gb"))
        .hasMessage("country gb: expected 2 upper-case letters (ISO 3166-1)");
    assertThatThrownBy(() -> CountryCode.parse("GBR"))
        .hasMessage("country GBR: expected 2 upper-case letters (ISO 3166-1)");
  }

  @Property
  void aCountryCodeIsAcceptedExactlyWhenTheJdkListsIt(@ForAll("twoLetters") String text) {
    boolean assigned = Locale.getISOCountries(Locale.IsoCountryCode.PART1_ALPHA2).contains(text);
    assertThat(CountryCode.isAssigned(text)).isEqualTo(assigned);
    if (!assigned) {
      assertThatThrownBy(() -> CountryCode.parse(text)).isInstanceOf(InvalidCodeException.class);
    }
  }

  @Provide
  Arbitrary<String> threeLetters() {
    return Arbitraries.strings().withCharRange('A', 'Z').ofLength(3);
  }

  @Provide
  Arbitrary<String> twoLetters() {
    return Arbitraries.strings().withCharRange('A', 'Z').ofLength(2);
  }

  @Provide
  Arbitrary<String> notThreeUpperCaseLetters() {
    return Arbitraries.strings()
        .withCharRange('A', 'Z')
        .withCharRange('a', 'z')
        .withCharRange('0', '9')
        .withChars(' ', '-')
        .ofMaxLength(5)
        .filter(s -> !s.matches("[A-Z]{3}"));
  }
}
