package dev.firemesh.proxy.tcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TcpUpstreamTest {
  @Test
  void parsesServicePortNameAndLocalPort() {
    assertThat(TcpUpstream.parse("fix-gateway:fix=19878"))
        .isEqualTo(new TcpUpstream("fix-gateway", "fix", 19878));
    assertThat(TcpUpstream.parse("db=0")).isEqualTo(new TcpUpstream("db", "", 0));
    assertThat(TcpUpstream.parse("db=5432").authority()).isEqualTo("db");
  }

  @ParameterizedTest
  @ValueSource(strings = {"db", "=5432", "db:=5432", ":sql=5432", "db=abc", "db=70000", "db=-1"})
  void refusesWhatIsNotServicePortEqualsLocalPort(String text) {
    assertThatThrownBy(() -> TcpUpstream.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("\"" + text + "\"");
  }
}
