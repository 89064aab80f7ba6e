package dev.firemesh.proxy.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class AbsoluteFormTest {

  @ParameterizedTest
  @CsvSource({
    "http://orders/path?q=1, http, orders, /path?q=1",
    "HTTP://orders:8080, http, orders:8080, /",
    "http://orders?q, http, orders, /?q",
    "http://orders/a#frag, http, orders, /a",
    "https://orders/x, https, orders, /x"
  })
  void splitsSchemeAuthorityAndOriginForm(
      String target, String scheme, String authority, String origin) {
    assertThat(AbsoluteForm.parse(target)).isEqualTo(new AbsoluteForm(scheme, authority, origin));
  }

  @ParameterizedTest
  @ValueSource(strings = {"/path", "*", "orders/x", "://x", "1http://x", "ht tp://x"})
  void recognisesOnlyAbsoluteForm(String target) {
    assertThat(AbsoluteForm.matches(target)).isFalse();
  }
}
