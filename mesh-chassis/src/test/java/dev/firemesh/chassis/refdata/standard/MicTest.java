package dev.firemesh.chassis.refdata.standard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class MicTest {
  @Property
  void fourUpperCaseLettersOrDigitsAreAMic(@ForAll("mics") String text) {
    assertThat(Mic.parse(text).code()).isEqualTo(text);
  }

  @Property
  void anythingElseIsRefused(@ForAll("notMics") String text) {
    assertThatThrownBy(() -> Mic.parse(text))
        .isInstanceOf(InvalidCodeException.class)
        .hasMessageStartingWith("MIC ");
  }

  @Test
  void theMessageSaysWhatIsWrong() {
    assertThatThrownBy(() -> Mic.parse("XLO")).hasMessage("MIC XLO: 3 characters, expected 4");
    assertThatThrownBy(() -> Mic.parse("xlon"))
        .hasMessage("MIC xlon: character 1 is 'x', expected an upper-case letter or a digit");
    assertThatThrownBy(() -> Mic.parse("XL N"))
        .hasMessage("MIC \"XL N\": character 3 is ' ', expected an upper-case letter or a digit");
    assertThatThrownBy(() -> Mic.parse(null)).hasMessage("MIC (missing): missing");
    assertThat(Mic.parse("XETR")).isEqualTo(new Mic("XETR"));
  }

  @Provide
  Arbitrary<String> mics() {
    return Arbitraries.strings().withCharRange('A', 'Z').withCharRange('0', '9').ofLength(4);
  }

  @Provide
  Arbitrary<String> notMics() {
    Arbitrary<String> wrongLength =
        Arbitraries.strings()
            .withCharRange('A', 'Z')
            .withCharRange('0', '9')
            .ofMaxLength(8)
            .filter(s -> s.length() != 4);
    Arbitrary<String> oneBadCharacter =
        Arbitraries.integers()
            .between(0, 3)
            .flatMap(
                i ->
                    Arbitraries.chars()
                        .filter(c -> !(c >= 'A' && c <= 'Z') && !(c >= '0' && c <= '9'))
                        .map(c -> "XLON".substring(0, i) + c + "XLON".substring(i + 1)));
    return Arbitraries.oneOf(wrongLength, oneBadCharacter);
  }
}
