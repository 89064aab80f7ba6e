package dev.firemesh.traffic.balance;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class XxHash64Test {
  @Test
  void matchesThePublishedVectorsForEveryInputLengthPath() {
    assertThat(XxHash64.hash("")).isEqualTo(0xef46db3751d8e999L);
    assertThat(XxHash64.hash("a")).isEqualTo(0xd24ec4f1a98c6e5bL);
    assertThat(XxHash64.hash("abc")).isEqualTo(0x44bc2cf5ad770999L);
    assertThat(XxHash64.hash("message digest")).isEqualTo(0x066ed728fceeb3beL);
    assertThat(XxHash64.hash("abcdefghijklmnopqrstuvwxyz")).isEqualTo(0xcfe1f278fa89835cL);
    assertThat(XxHash64.hash("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"))
        .isEqualTo(0xaaa46907d3047814L);
    assertThat(
            XxHash64.hash(
                "12345678901234567890123456789012345678901234567890123456789012345678901234567890"))
        .isEqualTo(0xe04a477f19ee145dL);
  }
}
