package dev.firemesh.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.firemesh.proxy.tcp.TcpUpstream;
import dev.firemesh.proxy.testing.BannerApp;
import dev.firemesh.proxy.testing.FirstRouteRouter;
import dev.firemesh.proxy.testing.MeshConfigs;
import dev.firemesh.proxy.testing.RawHttp;
import dev.firemesh.proxy.testing.SidecarPair;
import dev.firemesh.proxy.testing.TestApp;
import dev.firemesh.traffic.config.ClusterConfig.Protocol;
import dev.firemesh.traffic.config.ServicePort;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Graceful shutdown of an instance's sidecar: during the delay callers are told to leave (HTTP/1.1
 * {@code Connection: close}); then new connections are refused while requests and tunnels in flight
 * finish.
 */
class DrainTest {

  @Test
  void inFlightRequestsAndTunnelsFinishAndNewConnectionsAreRefusedAfterTheDelay() throws Exception {
    try (TestApp http = new TestApp().start();
        BannerApp db = new BannerApp()) {
      Sidecar callee =
          SidecarPair.ephemeral(
                  Sidecar.builder()
                      .router(new FirstRouteRouter())
                      .service("db")
                      .localAppPort(http.port())
                      .appPort("fix", db.port()))
              .build()
              .start();
      MeshConfigs ports =
          MeshConfigs.builder()
              .ports(
                  "db",
                  new ServicePort("http", 8080, Protocol.HTTP1),
                  new ServicePort("fix", 9878, Protocol.TCP));
      callee.apply(ports.build("callee-1"));
      Sidecar caller =
          SidecarPair.ephemeral(
                  Sidecar.builder()
                      .router(new FirstRouteRouter())
                      .localAppPort(http.port())
                      .tcpUpstream(new TcpUpstream("db", "fix", 0)))
              .build()
              .start();
      caller.apply(
          ports
              .service("db", "db")
              .cluster("db", Protocol.TCP, callee.inboundAddress().getPort())
              .build("caller-1"));
      InetSocketAddress inbound = callee.inboundAddress();
      InetSocketAddress upstream = caller.upstreamAddresses().values().iterator().next();
      try (RawHttp keptAlive = RawHttp.connect(inbound);
          RawHttp inFlight = RawHttp.connect(inbound);
          Socket tunnel = new Socket(upstream.getAddress(), upstream.getPort())) {
        tunnel.setSoTimeout(10_000);
        assertThat(line(tunnel.getInputStream())).startsWith("220");
        RawHttp.Response first = keptAlive.send("GET /echo HTTP/1.1\r\nHost: db\r\n\r\n").read();
        assertThat(first.header("connection")).isNull();
        inFlight.send("POST /echo HTTP/1.1\r\nHost: db\r\nContent-Length: 5\r\n\r\nab");

        CompletableFuture<Void> drained =
            CompletableFuture.runAsync(
                () -> {
                  try {
                    callee.drain(Duration.ofMillis(500), Duration.ofSeconds(20));
                  } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                  }
                });

        // During the delay: still served, but told to go elsewhere.
        await().until(callee::draining);
        RawHttp.Response announced =
            keptAlive.send("GET /echo HTTP/1.1\r\nHost: db\r\n\r\n").read();
        assertThat(announced.status()).isEqualTo(200);
        assertThat(announced.header("connection")).isEqualTo("close");
        assertThat(keptAlive.closedByPeer()).isTrue();

        // After it: nobody new gets in.
        await()
            .atMost(Duration.ofSeconds(10))
            .untilAsserted(
                () ->
                    assertThatThrownBy(
                            () -> new Socket(inbound.getAddress(), inbound.getPort()).close())
                        .isInstanceOf(ConnectException.class));

        // What was in flight finishes: the request's body, and the tunnel both ways.
        inFlight.send("cde");
        RawHttp.Response finished = inFlight.read();
        assertThat(finished.status()).isEqualTo(200);
        assertThat(finished.text()).contains("body-bytes: 5");
        assertThat(finished.header("connection")).isEqualTo("close");
        tunnel.getOutputStream().write("still here\n".getBytes(StandardCharsets.US_ASCII));
        assertThat(line(tunnel.getInputStream())).isEqualTo("still here\n");
        assertThat(drained).isNotDone(); // the tunnel holds the drain open
        tunnel.shutdownOutput();
        assertThat(line(tunnel.getInputStream())).isEqualTo("bye 11\n");

        drained.get(20, TimeUnit.SECONDS);
      } finally {
        caller.close();
        callee.close();
      }
    }
  }

  /**
   * The control plane's collector keeps a connection to every sidecar's admin port and reads it
   * every few seconds: the drain must not wait for it, or every drain would run to its timeout and
   * cut the data plane's connections.
   */
  @Test
  void aScraperKeptAliveOnTheAdminPortDoesNotHoldTheDrain() throws Exception {
    try (TestApp http = new TestApp().start()) {
      Sidecar sidecar =
          SidecarPair.ephemeral(
                  Sidecar.builder()
                      .router(new FirstRouteRouter())
                      .service("orders")
                      .localAppPort(http.port()))
              .build()
              .start();
      try (Socket scraper = new Socket()) {
        scraper.connect(sidecar.adminAddress());
        scraper
            .getOutputStream()
            .write(
                "GET /stats/prometheus HTTP/1.1\r\nHost: admin\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
        InputStream in = scraper.getInputStream();
        byte[] head = new byte[12];
        assertThat(in.readNBytes(head, 0, head.length)).isEqualTo(head.length);
        assertThat(new String(head, StandardCharsets.US_ASCII)).isEqualTo("HTTP/1.1 200");
        // the scraper keeps its connection open, as an HTTP client's pool does

        CompletableFuture<Void> drained =
            CompletableFuture.runAsync(
                () -> {
                  try {
                    sidecar.drain(Duration.ZERO, Duration.ofMinutes(2));
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                });
        // far sooner than the two minutes a held drain would take
        drained.get(30, TimeUnit.SECONDS);
      }
    }
  }

  @Test
  void aRefusedConnectGoesToAnotherEndpointEvenForAPost() throws Exception {
    int refusing;
    try (java.net.ServerSocket probe = new java.net.ServerSocket(0)) {
      refusing = probe.getLocalPort(); // closed below: connects there are refused
    }
    try (TestApp app = new TestApp().start()) {
      Sidecar callee =
          SidecarPair.ephemeral(
                  Sidecar.builder().router(new FirstRouteRouter()).localAppPort(app.port()))
              .build()
              .start();
      FirstRouteRouter router = new FirstRouteRouter();
      Sidecar caller =
          SidecarPair.ephemeral(Sidecar.builder().router(router).localAppPort(app.port()))
              .build()
              .start();
      try {
        callee.apply(MeshConfigs.builder().build("callee-1"));
        // Round robin: every other request is first sent to the refusing endpoint.
        caller.apply(
            MeshConfigs.builder()
                .service("orders", "orders")
                .cluster("orders", refusing, callee.inboundAddress().getPort())
                .build("caller-1"));
        for (int i = 0; i < 6; i++) {
          try (RawHttp raw = RawHttp.connect(caller.outboundAddress())) {
            RawHttp.Response response =
                raw.send("POST /echo HTTP/1.1\r\nHost: orders\r\nContent-Length: 3\r\n\r\nbuy")
                    .read();
            assertThat(response.status()).as("request %d", i).isEqualTo(200);
            assertThat(response.text()).contains("body-bytes: 3");
          }
        }
        await().until(() -> router.openLeases() == 0);
        assertThat(router.extraCloses()).isZero();
      } finally {
        caller.close();
        callee.close();
      }
    }
  }

  private static String line(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    int b;
    while ((b = in.read()) >= 0) {
      line.write(b);
      if (b == '\n') {
        break;
      }
    }
    return line.toString(StandardCharsets.US_ASCII);
  }
}
