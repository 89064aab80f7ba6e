package dev.firemesh.control.ca;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class JoinTokensTest {
  @Test
  void aTokenSplitsIntoIdAndSecretEvenIfTheSecretHoldsUnderscores() {
    assertThat(JoinTokens.parse("fmjt_0123456789abcdef_ab_c-d"))
        .contains(new JoinTokens.Presented("0123456789abcdef", "ab_c-d"));
  }

  @Test
  void anythingElseIsNotAToken() {
    assertThat(JoinTokens.parse("fmjt_0123456789ABCDEF_secret")).isEmpty();
    assertThat(JoinTokens.parse("fmjt_0123_secret")).isEmpty();
    assertThat(JoinTokens.parse("fmjt_0123456789abcdef_")).isEmpty();
    assertThat(JoinTokens.parse("fm_0123456789abcdef_secret")).isEmpty();
    assertThat(JoinTokens.parse("fmjt_0123456789abcdeg_secret")).isEmpty();
  }
}
