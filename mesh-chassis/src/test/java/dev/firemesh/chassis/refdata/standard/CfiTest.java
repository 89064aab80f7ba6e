package dev.firemesh.chassis.refdata.standard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import org.junit.jupiter.api.Test;

class CfiTest {
  /** ISO 10962:2021: each category's letter and the letters of its groups. */
  private static final Map<Character, String> GROUPS =
      Map.ofEntries(
          Map.entry('E', "SPCFLDYM"),
          Map.entry('C', "IHBESFPM"),
          Map.entry('D', "BCWTYSEGANDM"),
          Map.entry('R', "ASPWFDM"),
          Map.entry('O', "CPM"),
          Map.entry('F', "FC"),
          Map.entry('S', "RTECFM"),
          Map.entry('H', "RTECFM"),
          Map.entry('I', "FT"),
          Map.entry('J', "EFCRT"),
          Map.entry('K', "RTECFYM"),
          Map.entry('L', "LRS"),
          Map.entry('T', "CTRIBDM"),
          Map.entry('M', "CM"));

  /** Any six letters: accepted exactly when the category and its group are the standard's. */
  @Property(tries = 2000)
  void aCodeIsAcceptedExactlyWhenItsCategoryAndGroupExist(@ForAll("sixLetters") String code) {
    String groups = GROUPS.get(code.charAt(0));
    boolean valid = groups != null && groups.indexOf(code.charAt(1)) >= 0;
    if (valid) {
      assertThat(Cfi.parse(code).code()).isEqualTo(code);
    } else {
      assertThatThrownBy(() -> Cfi.parse(code))
          .isInstanceOf(InvalidCodeException.class)
          .hasMessageContaining(groups == null ? "category " : "group ");
    }
  }

  @Test
  void everyGroupOfEveryCategoryIsAccepted() {
    GROUPS.forEach(
        (category, groups) -> {
          for (char group : groups.toCharArray()) {
            Cfi cfi = Cfi.parse("" + category + group + "XXXX");
            assertThat(cfi.category()).isNotBlank();
            assertThat(cfi.group()).isNotBlank();
          }
        });
  }

  @Test
  void theMessageSaysWhatIsWrong() {
    Cfi shares = Cfi.parse("ESVUFR");
    assertThat(shares.category()).isEqualTo("equities");
    assertThat(shares.group()).isEqualTo("common/ordinary shares");
    assertThat(Cfi.parse("CEOIES").group()).isEqualTo("exchange-traded funds (ETFs)");
    assertThatThrownBy(() -> Cfi.parse("ESVUF")).hasMessage("CFI ESVUF: 5 characters, expected 6");
    assertThatThrownBy(() -> Cfi.parse("ESVUF1"))
        .hasMessage("CFI ESVUF1: character 6 is '1', expected an upper-case letter");
    assertThatThrownBy(() -> Cfi.parse("ZSVUFR"))
        .hasMessage(
            "CFI ZSVUFR: category Z is not one of E, C, D, R, O, F, S, H, I, J, K, L, T, M");
    assertThatThrownBy(() -> Cfi.parse("EZVUFR"))
        .hasMessage(
            "CFI EZVUFR: group Z is not a group of category E (equities), expected one of S, P, C,"
                + " F, L, D, Y, M");
  }

  @Provide
  Arbitrary<String> sixLetters() {
    Arbitrary<Character> category =
        Arbitraries.frequencyOf(
            Tuple.of(
                3,
                Arbitraries.of(
                    'E', 'C', 'D', 'R', 'O', 'F', 'S', 'H', 'I', 'J', 'K', 'L', 'T', 'M')),
            Tuple.of(1, Arbitraries.chars().range('A', 'Z')));
    Arbitrary<String> rest = Arbitraries.strings().withCharRange('A', 'Z').ofLength(5);
    return category.flatMap(c -> rest.map(r -> c + r));
  }
}
