package dev.firemesh.examples.trading.iso;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IsinTest {

  /** Published ISINs of real issuers: Apple, BP, SAP, BNP Paribas, IBM, Coca-Cola, Nestle. */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "US0378331005",
        "GB0007980591",
        "DE0007164600",
        "FR0000131104",
        "US4592001014",
        "US1912161007",
        "CH0038863350"
      })
  void realIsinsAreValid(String isin) {
    assertThat(Isin.parse(isin)).contains(new Isin(isin));
    assertThat(Isin.checkDigit(isin.substring(0, 11))).isEqualTo(isin.charAt(11));
  }

  @Test
  void theProblemNamesTheExpectedCheckDigit() {
    assertThat(Isin.problem("US0378331006"))
        .contains("not an ISIN: \"US0378331006\" has check digit 6, expected 5");
    assertThat(Isin.problem("US037833100")).get().asString().contains("expected 2 letters");
    assertThat(Isin.problem("us0378331005")).isPresent();
    assertThatThrownBy(() -> new Isin("GB0007980592"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("expected 1");
  }

  @Property
  void everyPayloadWithItsCheckDigitIsValid(@ForAll("payloads") String payload) {
    Isin isin = Isin.of(payload);
    assertThat(Isin.parse(isin.value())).contains(isin);
    assertThat(isin.prefix()).isEqualTo(payload.substring(0, 2));
  }

  /**
   * Luhn catches every single-digit error: changing any one digit of a valid ISIN (check digit
   * included) to another digit always makes it invalid.
   */
  @Property
  void anySingleDigitChangeIsDetected(
      @ForAll("payloads") String payload,
      @ForAll("positions") int position,
      @ForAll("digits") char d) {
    String valid = Isin.of(payload).value();
    if (!Character.isDigit(valid.charAt(position)) || valid.charAt(position) == d) {
      return;
    }
    String changed = valid.substring(0, position) + d + valid.substring(position + 1);
    assertThat(Isin.parse(changed)).as("%s -> %s", valid, changed).isEmpty();
  }

  @Provide
  Arbitrary<String> payloads() {
    Arbitrary<String> country = Arbitraries.strings().withCharRange('A', 'Z').ofLength(2);
    Arbitrary<String> nsin =
        Arbitraries.strings().withCharRange('0', '9').withCharRange('A', 'Z').ofLength(9);
    return country.flatMap(c -> nsin.map(n -> c + n));
  }

  @Provide
  Arbitrary<Integer> positions() {
    return Arbitraries.integers().between(2, 11);
  }

  @Provide
  Arbitrary<Character> digits() {
    return Arbitraries.chars().range('0', '9');
  }
}
