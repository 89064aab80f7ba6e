package dev.firemesh.proxy;

import static org.assertj.core.api.Assertions.assertThat;
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
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Plain TCP through two sidecars: the app connects to its sidecar's local port for {@code db:fix};
 * the caller's sidecar tunnels to the {@code db} instance's sidecar with CONNECT, which connects to
 * the app port for {@code fix}. The server behind speaks first.
 */
class TcpTunnelTest {
  private static final int TIMEOUT_MILLIS = 30_000;

  private static BannerApp db;
  private static TestApp http;
  private static int closedPort;
  private static final FirstRouteRouter callerRouter = new FirstRouteRouter();
  private static Sidecar callee;
  private static Sidecar caller;

  @BeforeAll
  static void start() throws Exception {
    db = new BannerApp();
    http = new TestApp().start();
    try (ServerSocket probe = new ServerSocket(0)) {
      closedPort = probe.getLocalPort(); // nothing listens here once the probe is closed
    }
    callee =
        SidecarPair.ephemeral(
                Sidecar.builder()
                    .router(new FirstRouteRouter())
                    .service("db")
                    .appPort("http", http.port())
                    .appPort("fix", db.port())
                    .appPort("down", closedPort))
            .build()
            .start();
    callee.apply(dbPorts(MeshConfigs.builder()).build("callee-1"));
    caller =
        SidecarPair.ephemeral(
                Sidecar.builder()
                    .router(callerRouter)
                    .service("client")
                    .localAppPort(closedPort)
                    .tcpUpstream(new TcpUpstream("db", "fix", 0))
                    .tcpUpstream(new TcpUpstream("db", "down", 0))
                    .tcpUpstream(new TcpUpstream("db", "nope", 0))
                    .tcpUpstream(new TcpUpstream("db", "", 0)))
            .build()
            .start();
    caller.apply(
        dbPorts(MeshConfigs.builder())
            .service("db", "db")
            .cluster("db", Protocol.TCP, callee.inboundAddress().getPort())
            .build("caller-1"));
  }

  private static MeshConfigs dbPorts(MeshConfigs config) {
    return config.ports(
        "db",
        new ServicePort("http", 8080, Protocol.HTTP1),
        new ServicePort("fix", 9878, Protocol.TCP),
        new ServicePort("down", 9879, Protocol.TCP));
  }

  @AfterAll
  static void stop() throws IOException {
    caller.close();
    callee.close();
    db.close();
    http.close();
  }

  @AfterEach
  void everyLeaseIsClosedExactlyOnce() {
    await().until(() -> callerRouter.openLeases() == 0);
    assertThat(callerRouter.extraCloses()).isZero();
  }

  private static Socket connect(String authority) throws IOException {
    InetSocketAddress address =
        caller.upstreamAddresses().entrySet().stream()
            .filter(e -> e.getKey().authority().equals(authority))
            .findFirst()
            .orElseThrow()
            .getValue();
    Socket socket = new Socket(address.getAddress(), address.getPort());
    socket.setSoTimeout(TIMEOUT_MILLIS);
    return socket;
  }

  private static String readLine(InputStream in) throws IOException {
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

  @Test
  void aServerThatSpeaksFirstIsHeardBeforeTheClientSendsAnything() throws Exception {
    try (Socket socket = connect("db:fix")) {
      assertThat(readLine(socket.getInputStream())).isEqualTo(BannerApp.BANNER.strip() + "\r\n");

      socket.getOutputStream().write("8=FIX.4.4|35=A|\n".getBytes(StandardCharsets.US_ASCII));
      assertThat(readLine(socket.getInputStream())).isEqualTo("8=FIX.4.4|35=A|\n");
    }
  }

  @Test
  void withNoPortNameTheServicesOnlyTcpPortIsUsedOrTheTunnelRefused() throws Exception {
    // db declares two tcp ports (fix, down), so an unnamed upstream is refused: closed at once.
    try (Socket socket = connect("db")) {
      assertThat(socket.getInputStream().read()).isEqualTo(-1);
    }
  }

  @Test
  void sixtyFourMebibytesEachWayArriveByteExact() throws Exception {
    int size = 64 * 1024 * 1024;
    byte[] data = new byte[size];
    new Random(42).nextBytes(data);
    try (Socket socket = connect("db:fix")) {
      InputStream in = socket.getInputStream();
      assertThat(readLine(in)).startsWith("220");
      CompletableFuture<Void> writer =
          CompletableFuture.runAsync(
              () -> {
                try {
                  OutputStream out = socket.getOutputStream();
                  for (int offset = 0; offset < size; offset += 1 << 20) {
                    out.write(data, offset, 1 << 20);
                  }
                } catch (IOException e) {
                  throw new RuntimeException(e);
                }
              });
      MessageDigest received = MessageDigest.getInstance("SHA-256");
      byte[] buffer = new byte[64 * 1024];
      long remaining = size;
      while (remaining > 0) {
        int n = in.read(buffer, 0, (int) Math.min(buffer.length, remaining));
        assertThat(n).as("bytes left %d", remaining).isPositive();
        received.update(buffer, 0, n);
        remaining -= n;
      }
      writer.get(TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
      // Half-close only once the echo is in: with Netty 4.2.18's epoll transport a half-closed
      // socket that must then wait to write loses its epoll registration (see mesh-proxy README).
      socket.shutdownOutput();

      assertThat(received.digest()).isEqualTo(MessageDigest.getInstance("SHA-256").digest(data));
      assertThat(readLine(in)).isEqualTo("bye " + size + "\n");
      assertThat(in.read()).isEqualTo(-1);
    }
  }

  @Test
  void halfCloseReachesTheAppAndItsAnswerStillComesBack() throws Exception {
    try (Socket socket = connect("db:fix")) {
      InputStream in = socket.getInputStream();
      assertThat(readLine(in)).startsWith("220");
      socket.getOutputStream().write("abc".getBytes(StandardCharsets.US_ASCII));
      socket.shutdownOutput();

      assertThat(new String(in.readAllBytes(), StandardCharsets.US_ASCII)).isEqualTo("abcbye 3\n");
    }
  }

  @Test
  void anAppThatIsDownClosesTheCallersConnectionAndTheSidecarServesOn() throws Exception {
    long failed = caller.stats().snapshot().get("tcp.outbound.tunnels.failed");
    long refused = callee.stats().snapshot().get("tcp.inbound.tunnels.refused");
    try (Socket socket = connect("db:down")) {
      assertThat(socket.getInputStream().read()).isEqualTo(-1);
    }
    org.awaitility.Awaitility.await()
        .until(() -> caller.stats().snapshot().get("tcp.outbound.tunnels.failed") > failed);
    assertThat(callee.stats().snapshot().get("tcp.inbound.tunnels.refused")).isGreaterThan(refused);

    long opened = caller.stats().snapshot().get("tcp.outbound.tunnels.opened");
    long accepted = callee.stats().snapshot().get("tcp.inbound.tunnels.accepted");
    aServerThatSpeaksFirstIsHeardBeforeTheClientSendsAnything();
    assertThat(caller.stats().snapshot().get("tcp.outbound.tunnels.opened")).isEqualTo(opened + 1);
    assertThat(callee.stats().snapshot().get("tcp.inbound.tunnels.accepted"))
        .isEqualTo(accepted + 1);
  }

  @Test
  void anUnknownPortClosesTheCallersConnection() throws Exception {
    try (Socket socket = connect("db:nope")) {
      assertThat(socket.getInputStream().read()).isEqualTo(-1);
    }
  }

  @Test
  void theInboundListenerAnswersATunnelRequestWithAStatusThatSaysWhy() throws Exception {
    try (RawHttp raw = RawHttp.connect(callee.inboundAddress())) {
      RawHttp.Response response =
          raw.send("CONNECT db:nope HTTP/1.1\r\nHost: db:nope\r\n\r\n").read();
      assertThat(response.status()).isEqualTo(404);
      assertThat(response.text()).contains("no tcp port named nope").contains("[fix, down]");
    }
    try (RawHttp raw = RawHttp.connect(callee.inboundAddress())) {
      RawHttp.Response response = raw.send("CONNECT db:http HTTP/1.1\r\nHost: db\r\n\r\n").read();
      assertThat(response.status()).as("an http port is not a tcp port").isEqualTo(404);
    }
    try (RawHttp raw = RawHttp.connect(callee.inboundAddress())) {
      RawHttp.Response response = raw.send("CONNECT db:down HTTP/1.1\r\nHost: db\r\n\r\n").read();
      assertThat(response.status()).isEqualTo(503);
      assertThat(response.text()).contains("not accepting");
    }
    try (RawHttp raw = RawHttp.connect(callee.inboundAddress())) {
      RawHttp.Response response =
          raw.send("CONNECT orders:fix HTTP/1.1\r\nHost: orders\r\n\r\n").read();
      assertThat(response.status()).isEqualTo(404);
    }
  }

  @Test
  void httpStillReachesTheNamedHttpPortOfAMultiPortInstance() throws Exception {
    try (RawHttp raw = RawHttp.connect(callee.inboundAddress())) {
      RawHttp.Response response = raw.send("GET /echo HTTP/1.1\r\nHost: db\r\n\r\n").read();
      assertThat(response.status()).isEqualTo(200);
      assertThat(response.text()).contains("target: /echo");
    }
  }

  @Test
  void aRefusedEndpointIsSkippedForTheNextOne() throws Exception {
    FirstRouteRouter router = new FirstRouteRouter();
    try (Sidecar second =
        SidecarPair.ephemeral(
                Sidecar.builder()
                    .router(router)
                    .localAppPort(closedPort)
                    .tcpUpstream(new TcpUpstream("db", "fix", 0)))
            .build()
            .start()) {
      second.apply(
          dbPorts(MeshConfigs.builder())
              .service("db", "db")
              .cluster("db", Protocol.TCP, closedPort, callee.inboundAddress().getPort())
              .build("second-1"));
      InetSocketAddress address = second.upstreamAddresses().values().iterator().next();
      for (int i = 0; i < 4; i++) {
        try (Socket socket = new Socket(address.getAddress(), address.getPort())) {
          socket.setSoTimeout(TIMEOUT_MILLIS);
          assertThat(readLine(socket.getInputStream())).startsWith("220");
        }
      }
      await().atMost(Duration.ofSeconds(5)).until(() -> router.openLeases() == 0);
    }
  }
}
