package dev.firemesh.proxy.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class AuthorityTest {

  @ParameterizedTest
  @CsvSource({
    "orders, orders, -1",
    "Orders:8080, orders, 8080",
    "orders:, orders, -1",
    "10.0.0.7:15006, 10.0.0.7, 15006",
    "[::1]:80, [::1], 80",
    "[FE80::1], [fe80::1], -1",
    "orders.trading.svc, orders.trading.svc, -1"
  })
  void parsesHostAndPort(String text, String host, int port) {
    assertThat(Authority.parse(text)).isEqualTo(new Authority(host, port));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        ":80",
        "user@orders",
        "orders:http",
        "orders:65536",
        "::1",
        "[::1",
        "a/b",
        "a b",
        "[::1]x"
      })
  void refusesWhatIsNotAnAuthority(String text) {
    assertThatThrownBy(() -> Authority.parse(text)).isInstanceOf(IllegalArgumentException.class);
  }
}
