package dev.firemesh.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.firemesh.proxy.testing.FirstRouteRouter;
import dev.firemesh.proxy.testing.MeshConfigs;
import dev.firemesh.proxy.testing.RawHttp;
import dev.firemesh.proxy.testing.ScriptedUpstream;
import dev.firemesh.proxy.testing.SidecarPair;
import dev.firemesh.proxy.testing.TestApp;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * HTTP hygiene as a hostile or sloppy client meets it: smuggling attempts and oversized heads get
 * their exact status and a closed connection, and the sidecar keeps serving; hop-by-hop headers
 * never cross a hop; forwarding headers are set.
 */
class RequestHygieneTest {
  private static final String HOST = "Host: orders\r\n";
  private static final FirstRouteRouter router = new FirstRouteRouter();
  private static TestApp app;
  private static ScriptedUpstream scripted;
  private static Sidecar sidecar;

  @BeforeAll
  static void start() throws Exception {
    app = new TestApp().start();
    scripted =
        new ScriptedUpstream(
            (n, socket) -> {
              while (true) {
                ScriptedUpstream.Request request =
                    ScriptedUpstream.readRequest(socket.getInputStream());
                if (request.head().isEmpty()) {
                  return;
                }
                String path = request.requestLine().split(" ")[1];
                ScriptedUpstream.write(socket, SCRIPTED_RESPONSES.get(path));
                if (path.equals("/close-delimited")) {
                  return;
                }
              }
            });
    sidecar =
        SidecarPair.ephemeral(Sidecar.builder().router(router).localAppPort(app.port()))
            .build()
            .start();
    sidecar.apply(
        MeshConfigs.builder()
            .service("orders", "orders")
            .cluster("orders", app.port())
            .service("scripted", "scripted")
            .cluster("scripted", scripted.port())
            .build("hygiene-1"));
  }

  private static final Map<String, String> SCRIPTED_RESPONSES =
      Map.of(
          "/hop-by-hop",
          "HTTP/1.1 200 OK\r\nConnection: keep-alive, x-resp-hop\r\nX-Resp-Hop: secret\r\n"
              + "Keep-Alive: timeout=5\r\nProxy-Connection: keep-alive\r\nX-End-To-End: kept\r\n"
              + "Content-Length: 2\r\n\r\nok",
          "/close-delimited",
          "HTTP/1.1 200 OK\r\nConnection: close\r\n\r\nuntil the end",
          "/head-chunked",
          "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n");

  @AfterAll
  static void stop() throws Exception {
    sidecar.close();
    app.close();
    scripted.close();
  }

  static Stream<Arguments> refusedRequests() {
    String longTarget = "/echo?" + "a".repeat(9 * 1024);
    StringBuilder manyHeaders = new StringBuilder();
    for (int i = 0; i < 101; i++) {
      manyHeaders.append("X-H").append(i).append(": v\r\n");
    }
    String bigHeader = "X-Big: " + "b".repeat(33 * 1024) + "\r\n";
    return Stream.of(
        Arguments.of(
            "Content-Length with Transfer-Encoding",
            "POST /echo HTTP/1.1\r\n"
                + HOST
                + "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
            400),
        Arguments.of(
            "two equal Content-Length headers",
            "POST /echo HTTP/1.1\r\n"
                + HOST
                + "Content-Length: 5\r\nContent-Length: 5\r\n\r\nhello",
            400),
        Arguments.of(
            "two different Content-Length headers",
            "POST /echo HTTP/1.1\r\n"
                + HOST
                + "Content-Length: 5\r\nContent-Length: 6\r\n\r\nhello!",
            400),
        Arguments.of(
            "a Content-Length list",
            "POST /echo HTTP/1.1\r\n" + HOST + "Content-Length: 5, 5\r\n\r\nhello",
            400),
        Arguments.of(
            "a non-numeric Content-Length",
            "POST /echo HTTP/1.1\r\n" + HOST + "Content-Length: abc\r\n\r\n",
            400),
        Arguments.of(
            "a negative Content-Length",
            "POST /echo HTTP/1.1\r\n" + HOST + "Content-Length: -1\r\n\r\n",
            400),
        Arguments.of(
            "a signed Content-Length",
            "POST /echo HTTP/1.1\r\n" + HOST + "Content-Length: +5\r\n\r\nhello",
            400),
        Arguments.of(
            "chunked not the final transfer coding",
            "POST /echo HTTP/1.1\r\n" + HOST + "Transfer-Encoding: chunked, gzip\r\n\r\n",
            400),
        Arguments.of(
            "an unknown transfer coding",
            "POST /echo HTTP/1.1\r\n" + HOST + "Transfer-Encoding: xchunked\r\n\r\n",
            400),
        Arguments.of(
            "a transfer coding besides chunked",
            "POST /echo HTTP/1.1\r\n" + HOST + "Transfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n",
            501),
        Arguments.of(
            "Transfer-Encoding in HTTP/1.0",
            "POST /echo HTTP/1.0\r\n" + HOST + "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
            400),
        Arguments.of(
            "a bad chunk size",
            "POST /echo HTTP/1.1\r\n"
                + HOST
                + "Transfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n0\r\n\r\n",
            400),
        Arguments.of(
            "a space in a header name",
            "GET /echo HTTP/1.1\r\n" + HOST + "Bad Header: x\r\n\r\n",
            400),
        Arguments.of(
            "whitespace before the colon", "GET /echo HTTP/1.1\r\nHost : orders\r\n\r\n", 400),
        Arguments.of(
            "a control character in a header name",
            "GET /echo HTTP/1.1\r\n" + HOST + "X\u0001Y: x\r\n\r\n",
            400),
        Arguments.of(
            "a NUL in a header value",
            "GET /echo HTTP/1.1\r\n" + HOST + "X-Test: a\u0000b\r\n\r\n",
            400),
        Arguments.of(
            "a bare CR in a header value",
            "GET /echo HTTP/1.1\r\n" + HOST + "X-Test: a\rb\r\n\r\n",
            400),
        Arguments.of(
            "obs-fold (line folding)",
            "GET /echo HTTP/1.1\r\n" + HOST + "X-Test: a\r\n b\r\n\r\n",
            400),
        Arguments.of(
            "obs-fold with a tab",
            "GET /echo HTTP/1.1\r\n" + HOST + "X-Test: a\r\n\tb\r\n\r\n",
            400),
        Arguments.of(
            "whitespace before the first header", "GET /echo HTTP/1.1\r\n " + HOST + "\r\n", 400),
        Arguments.of("bare LF line ends", "GET /echo HTTP/1.1\n" + "Host: orders\n\n", 400),
        Arguments.of("no Host header", "GET /echo HTTP/1.1\r\n\r\n", 400),
        Arguments.of(
            "two Host headers", "GET /echo HTTP/1.1\r\n" + HOST + "Host: payments\r\n\r\n", 400),
        Arguments.of("an invalid Host", "GET /echo HTTP/1.1\r\nHost: a/b\r\n\r\n", 400),
        Arguments.of(
            "user info in an absolute URI",
            "GET http://user@orders/echo HTTP/1.1\r\n" + HOST + "\r\n",
            400),
        Arguments.of(
            "an https absolute URI", "GET https://orders/echo HTTP/1.1\r\n" + HOST + "\r\n", 400),
        Arguments.of("an asterisk target on GET", "GET * HTTP/1.1\r\n" + HOST + "\r\n", 400),
        Arguments.of("a relative target", "GET echo HTTP/1.1\r\n" + HOST + "\r\n", 400),
        Arguments.of("a garbage request line", "HELLO\r\n\r\n", 400),
        Arguments.of(
            "HTTP/2.0 in an HTTP/1 request line", "GET /echo HTTP/2.0\r\n" + HOST + "\r\n", 505),
        Arguments.of(
            "a request line too long", "GET " + longTarget + " HTTP/1.1\r\n" + HOST + "\r\n", 414),
        Arguments.of(
            "a header block too large", "GET /echo HTTP/1.1\r\n" + HOST + bigHeader + "\r\n", 431),
        Arguments.of(
            "too many header fields", "GET /echo HTTP/1.1\r\n" + HOST + manyHeaders + "\r\n", 431),
        Arguments.of(
            "a CONNECT tunnel", "CONNECT orders:443 HTTP/1.1\r\nHost: orders:443\r\n\r\n", 501),
        Arguments.of(
            "a WebSocket upgrade",
            "GET /echo HTTP/1.1\r\n"
                + HOST
                + "Connection: Upgrade\r\nUpgrade: websocket\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n",
            501),
        Arguments.of(
            "an unknown expectation",
            "POST /echo HTTP/1.1\r\n"
                + HOST
                + "Expect: the-unexpected\r\nContent-Length: 1\r\n\r\nx",
            417));
  }

  @ParameterizedTest(name = "{0} -> {2}")
  @MethodSource("refusedRequests")
  void aRefusedRequestGetsItsStatusAndTheConnectionCloses(String name, String request, int status)
      throws Exception {
    try (RawHttp raw = RawHttp.connect(sidecar.outboundAddress())) {
      RawHttp.Response response = raw.send(request).read();

      assertThat(response.status()).isEqualTo(status);
      assertThat(response.header("connection")).isEqualTo("close");
      assertThat(raw.closedByPeer()).isTrue();
    }
    theSidecarStillServes();
  }

  @Test
  void foldingSplitAcrossReadsIsStillRefused() throws Exception {
    try (RawHttp raw = RawHttp.connect(sidecar.outboundAddress())) {
      raw.send("GET /echo HTTP/1.1\r\n" + HOST + "X-Test: a\r\n");
      Thread.sleep(50); // let the sidecar decode the first lines on their own
      RawHttp.Response response = raw.send(" b\r\n\r\n").read();

      assertThat(response.status()).isEqualTo(400);
    }
  }

  @Test
  void bodyBytesThatLookLikeFoldingAreJustBody() throws Exception {
    String body = "line\r\n folded?\r\n\tno, body";
    try (RawHttp raw = RawHttp.connect(sidecar.outboundAddress())) {
      RawHttp.Response response =
          raw.send(
                  "POST /echo HTTP/1.1\r\n"
                      + HOST
                      + "Content-Length: "
                      + body.length()
                      + "\r\n\r\n"
                      + body)
              .read();

      assertThat(response.status()).isEqualTo(200);
      assertThat(TestApp.parseEcho(response.text()).get("body-bytes"))
          .isEqualTo(String.valueOf(body.length()));
    }
  }

  @Test
  void hopByHopRequestHeadersStopAtTheSidecar() throws Exception {
    try (RawHttp raw = RawHttp.connect(sidecar.outboundAddress())) {
      RawHttp.Response response =
          raw.send(
                  "POST /echo HTTP/1.1\r\n"
                      + HOST
                      + "Connection: keep-alive, X-Hop, content-length\r\nX-Hop: secret\r\n"
                      + "Keep-Alive: timeout=5\r\nProxy-Connection: keep-alive\r\n"
                      + "TE: trailers, deflate;q=0.5\r\nUpgrade: h2c\r\nHTTP2-Settings: AAMAAABkAAQAAP__\r\n"
                      + "X-End-To-End: kept\r\nContent-Length: 5\r\n\r\nhello")
              .read();

      assertThat(response.status()).isEqualTo(200);
      Map<String, String> seen = TestApp.parseEcho(response.text());
      assertThat(seen)
          .doesNotContainKeys(
              "header.connection",
              "header.x-hop",
              "header.keep-alive",
              "header.proxy-connection",
              "header.upgrade",
              "header.http2-settings");
      assertThat(seen.get("header.te")).isEqualTo("trailers");
      assertThat(seen.get("header.x-end-to-end")).isEqualTo("kept");
      assertThat(seen.get("body-bytes")).isEqualTo("5"); // Connection cannot strip framing
    }
  }

  @Test
  void forwardingHeadersExtendWhatTheCallerSent() throws Exception {
    try (RawHttp raw = RawHttp.connect(sidecar.outboundAddress())) {
      RawHttp.Response response =
          raw.send(
                  "GET /echo HTTP/1.1\r\n"
                      + HOST
                      + "X-Forwarded-For: 10.1.2.3\r\nX-Forwarded-Proto: https\r\n"
                      + "Via: 1.0 edge\r\nX-Request-Id: caller-id-1\r\n\r\n")
              .read();

      Map<String, String> seen = TestApp.parseEcho(response.text());
      assertThat(seen.get("header.x-forwarded-for")).isEqualTo("10.1.2.3, 127.0.0.1");
      assertThat(seen.get("header.x-forwarded-proto")).isEqualTo("https");
      assertThat(seen.get("header.via")).isEqualTo("1.0 edge, 1.1 firemesh");
      assertThat(seen.get("header.x-request-id")).isEqualTo("caller-id-1");
    }
  }

  @Test
  void hopByHopResponseHeadersStopAtTheSidecar() throws Exception {
    try (RawHttp raw = RawHttp.connect(sidecar.outboundAddress())) {
      RawHttp.Response response =
          raw.send("GET /hop-by-hop HTTP/1.1\r\nHost: scripted\r\n\r\n").read();

      assertThat(response.status()).isEqualTo(200);
      assertThat(response.headers())
          .doesNotContainKeys("connection", "x-resp-hop", "keep-alive", "proxy-connection");
      assertThat(response.header("x-end-to-end")).isEqualTo("kept");
      assertThat(response.header("via")).isEqualTo("1.1 firemesh");
    }
  }

  @Test
  void aCloseDelimitedUpstreamBodyIsReframedSoTheCallersConnectionSurvives() throws Exception {
    try (RawHttp raw = RawHttp.connect(sidecar.outboundAddress())) {
      RawHttp.Response response =
          raw.send("GET /close-delimited HTTP/1.1\r\nHost: scripted\r\n\r\n").read();

      assertThat(response.text()).isEqualTo("until the end");
      assertThat(response.header("transfer-encoding")).isEqualTo("chunked");
      raw.send("GET /echo HTTP/1.1\r\n" + HOST + "\r\n");
      assertThat(raw.read().status()).isEqualTo(200);
    }
  }

  @Test
  void aHeadResponseCarriesNoBodyEvenWhenItSaysChunked() throws Exception {
    try (RawHttp raw = RawHttp.connect(sidecar.outboundAddress())) {
      RawHttp.Response response =
          raw.send("HEAD /head-chunked HTTP/1.1\r\nHost: scripted\r\n\r\n").read(true);
      assertThat(response.status()).isEqualTo(200);

      raw.send("GET /echo HTTP/1.1\r\n" + HOST + "\r\n");
      RawHttp.Response next = raw.read();
      assertThat(next.status()).isEqualTo(200);
      assertThat(TestApp.parseEcho(next.text()).get("target")).isEqualTo("/echo");
    }
  }

  private static void theSidecarStillServes() throws Exception {
    try (RawHttp raw = RawHttp.connect(sidecar.outboundAddress())) {
      assertThat(raw.send("GET /echo HTTP/1.1\r\n" + HOST + "\r\n").read().status()).isEqualTo(200);
    }
  }
}
