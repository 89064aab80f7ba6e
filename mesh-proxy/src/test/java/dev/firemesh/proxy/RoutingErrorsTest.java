package dev.firemesh.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.firemesh.proxy.testing.FirstRouteRouter;
import dev.firemesh.proxy.testing.MeshConfigs;
import dev.firemesh.proxy.testing.RawHttp;
import dev.firemesh.proxy.testing.ScriptedUpstream;
import dev.firemesh.proxy.testing.SidecarPair;
import dev.firemesh.proxy.testing.TestApp;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** What a caller is told when its request cannot be delivered, by cause. */
class RoutingErrorsTest {
  private static final FirstRouteRouter router = new FirstRouteRouter();
  private static TestApp app;
  private static ScriptedUpstream resetting;
  private static ScriptedUpstream malformed;
  private static ServerSocket full;
  private static final List<Socket> backlog = new ArrayList<>();
  private static Sidecar sidecar;
  private static int closedPort;

  @BeforeAll
  static void start() throws Exception {
    app = new TestApp().start();
    resetting =
        new ScriptedUpstream(
            (n, socket) -> {
              ScriptedUpstream.readRequest(socket.getInputStream());
              ScriptedUpstream.reset(socket);
            });
    malformed =
        new ScriptedUpstream(
            (n, socket) -> {
              ScriptedUpstream.readRequest(socket.getInputStream());
              ScriptedUpstream.write(socket, "HTTP/1.1 200 OK\r\nContent-Length: 1O\r\n\r\n");
            });
    try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = probe.getLocalPort();
    }
    full = fullAcceptQueue();
    sidecar =
        SidecarPair.ephemeral(Sidecar.builder().router(router).localAppPort(app.port()))
            .build()
            .start();
    sidecar.apply(
        MeshConfigs.builder()
            .service("orders", "orders")
            .cluster("orders", app.port())
            .servicePrefix("narrow", "/echo", "orders")
            .service("ghost", "no-such-cluster")
            .service("empty", "empty")
            .cluster("empty")
            .service("refused", "refused")
            .cluster("refused", closedPort)
            .service("hanging", "hanging")
            .cluster("hanging", Duration.ofMillis(200), full.getLocalPort())
            .service("resetting", "resetting")
            .cluster("resetting", resetting.port())
            .service("malformed", "malformed")
            .cluster("malformed", malformed.port())
            .build("errors-1"));
  }

  /** A listening socket that never accepts, its queue filled: connecting to it hangs. */
  private static ServerSocket fullAcceptQueue() throws Exception {
    ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
    for (int i = 0; i < 4; i++) {
      Socket socket = new Socket();
      try {
        socket.connect(
            new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort()), 200);
        backlog.add(socket);
      } catch (java.io.IOException e) {
        socket.close();
        break; // the queue is full: further connects hang, as intended
      }
    }
    return server;
  }

  @AfterAll
  static void stop() throws Exception {
    sidecar.close();
    app.close();
    resetting.close();
    malformed.close();
    for (Socket socket : backlog) {
      socket.close();
    }
    full.close();
  }

  @AfterEach
  void everyLeaseIsClosed() {
    await().until(() -> router.openLeases() == 0);
    assertThat(router.extraCloses()).isZero();
  }

  private static RawHttp.Response get(String service, String path) throws Exception {
    try (RawHttp raw = RawHttp.connect(sidecar.outboundAddress())) {
      return raw.send("GET " + path + " HTTP/1.1\r\nHost: " + service + "\r\n\r\n").read();
    }
  }

  @Test
  void anUnknownServiceIs404() throws Exception {
    RawHttp.Response response = get("payments", "/");
    assertThat(response.status()).isEqualTo(404);
    assertThat(response.text()).isEqualTo("unknown service: payments\n");
  }

  @Test
  void noMatchingRouteIs404() throws Exception {
    assertThat(get("narrow", "/echo/this").status()).isEqualTo(200);
    RawHttp.Response response = get("narrow", "/other");
    assertThat(response.status()).isEqualTo(404);
    assertThat(response.text()).isEqualTo("no route matches in service: narrow\n");
  }

  @Test
  void anUnknownClusterIs503NoHealthyUpstream() throws Exception {
    RawHttp.Response response = get("ghost", "/");
    assertThat(response.status()).isEqualTo(503);
    assertThat(response.text()).isEqualTo("no healthy upstream\n");
  }

  @Test
  void aClusterWithoutEndpointsIs503NoHealthyUpstream() throws Exception {
    RawHttp.Response response = get("empty", "/");
    assertThat(response.status()).isEqualTo(503);
    assertThat(response.text()).isEqualTo("no healthy upstream\n");
  }

  @Test
  void aRefusedConnectionIs503() throws Exception {
    RawHttp.Response response = get("refused", "/");
    assertThat(response.status()).isEqualTo(503);
    assertThat(response.text()).startsWith("upstream connect error (127.0.0.1:" + closedPort + ")");
  }

  @Test
  void aConnectTimeoutIs503() throws Exception {
    RawHttp.Response response = get("hanging", "/");
    assertThat(response.status()).isEqualTo(503);
    assertThat(response.text()).contains("upstream connect error").contains("timed out");
  }

  @Test
  void anUpstreamResetBeforeTheResponseIs502() throws Exception {
    RawHttp.Response response = get("resetting", "/");
    assertThat(response.status()).isEqualTo(502);
    assertThat(response.text()).startsWith("upstream reset before response");
  }

  @Test
  void aMalformedUpstreamResponseIs502() throws Exception {
    RawHttp.Response response = get("malformed", "/");
    assertThat(response.status()).isEqualTo(502);
    assertThat(response.text()).isEqualTo("upstream sent a malformed response\n");
  }

  @Test
  void localAnswersKeepTheConnectionForTheNextRequest() throws Exception {
    try (RawHttp raw = RawHttp.connect(sidecar.outboundAddress())) {
      raw.send("POST / HTTP/1.1\r\nHost: payments\r\nContent-Length: 5\r\n\r\nhello");
      assertThat(raw.read().status()).isEqualTo(404);
      raw.send("GET / HTTP/1.1\r\nHost: ghost\r\n\r\n");
      assertThat(raw.read().status()).isEqualTo(503);
      raw.send("GET /echo HTTP/1.1\r\nHost: orders\r\n\r\n");
      assertThat(raw.read().status()).isEqualTo(200);
    }
  }

  @Test
  void aRefusedRequestWaitingFor100ContinueIsAnsweredAndClosed() throws Exception {
    try (RawHttp raw = RawHttp.connect(sidecar.outboundAddress())) {
      raw.send(
          "POST / HTTP/1.1\r\nHost: payments\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n");
      RawHttp.Response response = raw.read();
      assertThat(response.status()).isEqualTo(404);
      assertThat(response.header("connection")).isEqualTo("close");
      assertThat(raw.closedByPeer()).isTrue();
    }
  }
}
