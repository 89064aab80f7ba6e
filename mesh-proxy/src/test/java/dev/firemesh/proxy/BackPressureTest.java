package dev.firemesh.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.firemesh.proxy.testing.GeneratedBody;
import dev.firemesh.proxy.testing.RawHttp;
import dev.firemesh.proxy.testing.SidecarPair;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/**
 * When one side is slower than the other, the sidecars pause reading from the fast side instead of
 * buffering: the bytes each holds unsent stay bounded while tens of MB pass through.
 */
class BackPressureTest {
  private static final long SIZE = 32L * 1024 * 1024;

  @Test
  void aSlowReaderPausesTheUpstreamInsteadOfFillingTheProxy() throws Exception {
    try (SidecarPair mesh = new SidecarPair();
        RawHttp raw = RawHttp.connect(mesh.outbound())) {
      raw.socket().setReceiveBufferSize(16 * 1024);
      raw.send("GET http://orders/download?bytes=" + SIZE + " HTTP/1.1\r\nHost: orders\r\n\r\n");
      InputStream in = raw.input();
      skipHead(in);

      BigBodies.Received received = BigBodies.read(limited(in, SIZE), 1_000);

      assertThat(received.bytes()).isEqualTo(SIZE);
      assertThat(received.crc()).isEqualTo(GeneratedBody.crc(SIZE));
      assertThat(mesh.caller.stats().readsPausedCount()).isPositive();
      assertThat(mesh.callee.stats().readsPausedCount()).isPositive();
      BigBodies.assertProxyBuffersStayedSmall(mesh);
    }
  }

  @Test
  void aSlowAppPausesTheCallerInsteadOfFillingTheProxy() throws Exception {
    try (SidecarPair mesh = new SidecarPair()) {
      GeneratedBody body = new GeneratedBody(SIZE);
      HttpRequest request =
          HttpRequest.newBuilder(URI.create("http://orders/upload?pauseMicros=1000"))
              .POST(
                  HttpRequest.BodyPublishers.fromPublisher(
                      HttpRequest.BodyPublishers.ofInputStream(() -> body), SIZE))
              .build();

      HttpResponse<String> response =
          mesh.client().send(request, HttpResponse.BodyHandlers.ofString());

      assertThat(response.body()).isEqualTo(SIZE + " " + body.crcSoFar());
      assertThat(mesh.caller.stats().readsPausedCount()).isPositive();
      assertThat(mesh.callee.stats().readsPausedCount()).isPositive();
      BigBodies.assertProxyBuffersStayedSmall(mesh);
    }
  }

  private static void skipHead(InputStream in) throws Exception {
    int matched = 0;
    while (matched < 4) {
      int b = in.read();
      if (b < 0) {
        throw new IllegalStateException("no response head");
      }
      matched = (b == "\r\n\r\n".charAt(matched)) ? matched + 1 : (b == '\r' ? 1 : 0);
    }
  }

  private static InputStream limited(InputStream in, long size) {
    return new InputStream() {
      long left = size;

      @Override
      public int read() throws java.io.IOException {
        return left-- > 0 ? in.read() : -1;
      }

      @Override
      public int read(byte[] b, int off, int len) throws java.io.IOException {
        if (left <= 0) {
          return -1;
        }
        int n = in.read(b, off, (int) Math.min(len, left));
        if (n > 0) {
          left -= n;
        }
        return n;
      }
    };
  }
}
