package dev.firemesh.proxy.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import org.junit.jupiter.api.Test;

class HopByHopHeadersTest {

  @Test
  void removesConnectionScopedFieldsAndKeepsFraming() {
    HttpHeaders headers =
        new DefaultHttpHeaders()
            .add("Connection", "close, X-A")
            .add("Connection", "x-b, Host, Content-Length, Transfer-Encoding")
            .add("X-A", "1")
            .add("X-B", "2")
            .add("Keep-Alive", "timeout=5")
            .add("Proxy-Connection", "keep-alive")
            .add("Upgrade", "h2c")
            .add("HTTP2-Settings", "x")
            .add("TE", "gzip")
            .add("Host", "orders")
            .add("Content-Length", "5")
            .add("Transfer-Encoding", "chunked")
            .add("X-Kept", "yes");

    HopByHopHeaders.strip(headers);

    assertThat(headers.names())
        .containsExactlyInAnyOrder("Host", "Content-Length", "Transfer-Encoding", "X-Kept");
  }

  @Test
  void keepsOnlyTheTrailersMemberOfTe() {
    HttpHeaders headers = new DefaultHttpHeaders().add("TE", "deflate;q=0.5, Trailers");

    HopByHopHeaders.strip(headers);

    assertThat(headers.get("te")).isEqualTo("trailers");
  }
}
