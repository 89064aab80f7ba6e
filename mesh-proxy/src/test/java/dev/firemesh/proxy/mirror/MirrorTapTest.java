package dev.firemesh.proxy.mirror;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import org.junit.jupiter.api.Test;

class MirrorTapTest {

  @Test
  void marksTheHostPartAsAShadowsAndKeepsThePort() {
    assertThat(MirrorTap.shadowHost("orders")).isEqualTo("orders-shadow");
    assertThat(MirrorTap.shadowHost("orders:8080")).isEqualTo("orders-shadow:8080");
    assertThat(MirrorTap.shadowHost("10.0.0.1:80")).isEqualTo("10.0.0.1-shadow:80");
    assertThat(MirrorTap.shadowHost("[::1]:80")).isEqualTo("[::1]:80");
  }

  @Test
  void theCopysHeadIsItsOwnAndExpectsNoContinue() {
    HttpRequest original =
        new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/orders?x=1");
    original.headers().set("host", "orders").set("expect", "100-continue").set("x-a", "1");

    HttpRequest copy = MirrorTap.shadowHead(original);
    original.headers().set("x-a", "changed later");

    assertThat(copy.uri()).isEqualTo("/orders?x=1");
    assertThat(copy.method()).isEqualTo(HttpMethod.POST);
    assertThat(copy.headers().get("host")).isEqualTo("orders-shadow");
    assertThat(copy.headers().get("x-a")).isEqualTo("1");
    assertThat(copy.headers().contains("expect")).isFalse();
    assertThat(original.headers().get("host")).isEqualTo("orders");
  }
}
