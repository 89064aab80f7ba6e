package dev.firemesh.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.firemesh.proxy.testing.GeneratedBody;
import dev.firemesh.proxy.testing.H2Client;
import dev.firemesh.proxy.testing.ScriptedH2App;
import dev.firemesh.proxy.testing.SidecarPair;
import dev.firemesh.proxy.testing.TestApp;
import dev.firemesh.traffic.config.ClusterConfig;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2Headers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.zip.CRC32;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Plain HTTP/2 (h2c with prior knowledge) on the listeners, beside HTTP/1.1 on the same port: what
 * a caller that is not gRPC sees, and the protocol's own rules, with Netty's HTTP/2 client.
 */
class Http2ListenerTest {
  private static SidecarPair mesh;
  private static H2Client client;

  @BeforeAll
  static void start() throws Exception {
    mesh = new SidecarPair(); // a TestApp behind, HTTP/1.1 between the sidecars
    client = H2Client.connect(mesh.outbound());
  }

  @AfterAll
  static void stop() {
    client.close();
    mesh.close();
  }

  @AfterEach
  void everyLeaseIsClosedExactlyOnce() {
    await().until(() -> mesh.callerRouter.openLeases() == 0);
    assertThat(mesh.callerRouter.extraCloses()).isZero();
  }

  @Test
  void anHttp2RequestReachesAnHttp1AppByTheServiceNamedInItsAuthority() throws Exception {
    H2Client.Response response =
        client.send(H2Client.request("GET", "orders:8080", "/echo?q=1"), new byte[0]);

    assertThat(response.status()).isEqualTo(200);
    Map<String, String> seen = TestApp.parseEcho(response.text());
    assertThat(seen.get("method")).isEqualTo("GET");
    assertThat(seen.get("target")).isEqualTo("/echo?q=1");
    assertThat(seen.get("header.host")).isEqualTo("orders:8080");
    assertThat(seen.get("header.via")).isEqualTo("2 firemesh, 1.1 firemesh");
    assertThat(seen.get("header.x-request-id")).matches("[0-9a-f]{32}");
    assertThat(seen.keySet()).noneMatch(name -> name.startsWith("header.x-http2-"));
    Http2Headers head = response.headers().orElseThrow();
    assertThat(head.get("via")).hasToString("1.1 firemesh, 1.1 firemesh");
    assertThat(head.contains("x-http2-stream-id")).isFalse();
    assertThat(head.contains("transfer-encoding")).isFalse();
    assertThat(response.reset()).isEmpty();
  }

  @Test
  void anHttp2UploadStreamsThroughToAnHttp1App() throws Exception {
    byte[] body = new byte[1024 * 1024];
    GeneratedBody.fill(body, 0, body.length, 0);
    CRC32 crc = new CRC32();
    crc.update(body);

    H2Client.Response response = client.send(H2Client.request("POST", "orders", "/upload"), body);

    assertThat(response.status()).isEqualTo(200);
    assertThat(response.text()).isEqualTo(body.length + " " + crc.getValue());
  }

  @Test
  void anUnknownServiceIsAnswered404() throws Exception {
    H2Client.Response response =
        client.send(H2Client.request("GET", "no-such-service", "/"), new byte[0]);

    assertThat(response.status()).isEqualTo(404);
    assertThat(response.text()).isEqualTo("unknown service: no-such-service\n");
  }

  @Test
  void aConnectionSpecificHeaderIsMalformedAndResetsTheStream() throws Exception {
    // RFC 9113 section 8.2.2: such a message is malformed; a stream error of type PROTOCOL_ERROR.
    H2Client.Response response =
        client.send(
            H2Client.request("GET", "orders", "/echo").add("connection", "keep-alive"),
            new byte[0]);

    assertThat(response.headers()).isEmpty();
    assertThat(response.reset()).hasValue(Http2Error.PROTOCOL_ERROR.code());
    assertThat(client.connectionOpen()).isTrue(); // a stream error, not a connection error
  }

  @Test
  void aHeaderListOverTheLimitIsAnswered431() throws Exception {
    H2Client.Response response =
        client.send(
            H2Client.request("GET", "orders", "/echo").add("x-big", "b".repeat(40 * 1024)),
            new byte[0]);

    assertThat(response.status()).isEqualTo(431);
  }

  @Test
  void tooManyHeaderFieldsAreAnswered431() throws Exception {
    Http2Headers headers = H2Client.request("GET", "orders", "/echo");
    for (int i = 0; i < 150; i++) {
      headers.add("x-field-" + i, "v");
    }

    H2Client.Response response = client.send(headers, new byte[0]);

    assertThat(response.status()).isEqualTo(431);
    assertThat(response.text()).startsWith("too many header fields: ");
  }

  @Test
  void http1AndHttp2CallersShareTheListenerPort() throws Exception {
    // The same port answered HTTP/2 above; an HTTP/1.1 caller is served as before.
    var response =
        mesh.client()
            .send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://orders/echo"))
                    .build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(TestApp.parseEcho(response.body()).get("header.via"))
        .isEqualTo("1.1 firemesh, 1.1 firemesh");
  }

  @Test
  void anHttp2CallerToAnAppThatOnlySpeaksHttp1Gets503() throws Exception {
    // The inbound listener speaks to its app in the caller's protocol; the TestApp is HTTP/1.1.
    try (H2Client direct = H2Client.connect(mesh.callee.inboundAddress())) {
      H2Client.Response response =
          direct.send(H2Client.request("GET", "orders", "/echo"), new byte[0]);

      assertThat(response.status()).isEqualTo(503);
      assertThat(response.text()).startsWith("upstream connect error (");
    }
  }

  @Test
  void anUpstreamResetMidResponseResetsTheCallersStreamWithTheSameCode() throws Exception {
    try (ScriptedH2App app = new ScriptedH2App();
        SidecarPair pair =
            SidecarPair.inFrontOf(
                () -> {}, app.port(), ClusterConfig.Protocol.HTTP2, UnaryOperator.identity());
        H2Client caller = H2Client.connect(pair.outbound())) {
      H2Client.Response response =
          caller.send(H2Client.request("GET", "orders", "/reset-mid-response"), new byte[0]);

      assertThat(response.status()).isEqualTo(200);
      assertThat(response.reset()).hasValue(Http2Error.ENHANCE_YOUR_CALM.code());
    }
  }

  @Test
  void aStreamTheUpstreamRefusedUnprocessedIsSentAgainWhateverItsMethod() throws Exception {
    try (ScriptedH2App app = new ScriptedH2App();
        SidecarPair pair =
            SidecarPair.inFrontOf(
                () -> {}, app.port(), ClusterConfig.Protocol.HTTP2, UnaryOperator.identity());
        H2Client caller = H2Client.connect(pair.outbound())) {
      H2Client.Response response =
          caller.send(
              H2Client.request("POST", "orders", "/refuse-once"),
              "order".getBytes(StandardCharsets.US_ASCII));

      assertThat(response.status()).isEqualTo(200);
      assertThat(response.text()).isEqualTo("second try");
      assertThat(app.refused()).isEqualTo(2);
      assertThat(pair.callee.stats().keepAliveRaceResends()).isEqualTo(1);
    }
  }

  @Test
  void anUpstreamAtItsStreamLimitGetsAnotherConnection() throws Exception {
    try (ScriptedH2App app = new ScriptedH2App(1);
        SidecarPair pair =
            SidecarPair.inFrontOf(
                () -> {}, app.port(), ClusterConfig.Protocol.HTTP2, UnaryOperator.identity());
        H2Client caller = H2Client.connect(pair.outbound())) {
      List<CompletableFuture<H2Client.Response>> responses = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        responses.add(caller.sendAsync(H2Client.request("GET", "orders", "/hold"), new byte[0]));
      }
      await().until(() -> app.held() == 3);

      app.releaseHeld();

      for (CompletableFuture<H2Client.Response> response : responses) {
        assertThat(response.get(10, TimeUnit.SECONDS).text()).isEqualTo("released");
      }
      // Sidecar to sidecar, one connection carries all three; the app takes one stream per
      // connection, so the callee's sidecar opened one connection per request in flight.
      assertThat(pair.caller.stats().upstreamConnectionsOpened()).isEqualTo(1);
      assertThat(pair.callee.stats().upstreamConnectionsOpened()).isEqualTo(3);
    }
  }

  @Test
  void anIdleHttp2CallerConnectionIsClosed() throws Exception {
    try (SidecarPair pair = new SidecarPair(b -> b.callerIdleTimeout(Duration.ofMillis(300)));
        H2Client caller = H2Client.connect(pair.outbound())) {
      assertThat(caller.send(H2Client.request("GET", "orders", "/echo"), new byte[0]).status())
          .isEqualTo(200);

      await().atMost(Duration.ofSeconds(10)).until(() -> !caller.connectionOpen());
    }
  }
}
