package dev.firemesh.xds.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** RE2 patterns read with java.util.regex: the same meaning, or a refusal. */
class Re2PatternsTest {

  @ParameterizedTest(name = "{0} matches {1}: {2}")
  @CsvSource(
      delimiter = '|',
      value = {
        "(?P<id>[0-9]+)-x|12-x|true",
        "(?<id>[0-9]+)-x|12-x|true",
        "[[:digit:]]+|123|true",
        "[[:^digit:]]+|abc|true",
        "[[:word:]]+|a_1|true",
        "(?i)abc|ABC|true",
        "\\Q(a)\\E|(a)|true",
        "x\\vy|x\u000By|true",
        "[]a]+|]a]|true",
        "\\p{Greek}+|αβγ|true",
        "\\p{^Greek}+|abc|true",
        "\\pL+|abc|true",
        "\\p{Lu}\\p{Ll}|Ab|true",
      })
  void compilesWithRe2Meaning(String re2, String input, boolean matches) throws FieldProblem {
    assertThat(Re2Patterns.compile(re2, "regex", false).matcher(input).matches())
        .isEqualTo(matches);
  }

  @Test
  void onlyNewlineEndsALineAsInRe2() throws FieldProblem {
    assertThat(Re2Patterns.compile("a.c", "f", false).matcher("a\nc").matches()).isFalse();
    assertThat(Re2Patterns.compile("a.c", "f", false).matcher("a\rc").matches()).isTrue();
    assertThat(Re2Patterns.compile("(?s:a.c)", "f", false).matcher("a\nc").matches()).isTrue();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "(a)\\1", "(?=a)a", "(?!a)b", "(?<=a)b", "(?>a)", "a++", "a*+", "[a[b]]", "[a&&b]",
        "(?U)a*", "a\\Rb", "\\Ga",
      })
  void refusesWhatRe2DoesNotHave(String javaOnly) {
    assertThatThrownBy(() -> Re2Patterns.compile(javaOnly, "f", false))
        .isInstanceOf(FieldProblem.class)
        .hasMessageContaining("not RE2 syntax");
  }

  @ParameterizedTest
  @ValueSource(strings = {"(a", "a{2,1}", "[z-a]", "*a"})
  void refusesMalformedPatterns(String malformed) {
    assertThatThrownBy(() -> Re2Patterns.compile(malformed, "f", false))
        .isInstanceOf(FieldProblem.class)
        .hasMessageContaining("invalid regular expression");
  }
}
