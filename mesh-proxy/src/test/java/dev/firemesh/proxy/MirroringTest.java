package dev.firemesh.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import dev.firemesh.proxy.testing.MeshConfigs;
import dev.firemesh.proxy.testing.RawHttp;
import dev.firemesh.proxy.testing.SidecarPair;
import dev.firemesh.proxy.testing.TestApp;
import dev.firemesh.traffic.config.PathMatcher;
import dev.firemesh.traffic.config.PathRewrite;
import dev.firemesh.traffic.config.RequestMatch;
import dev.firemesh.traffic.config.RouteAction;
import dev.firemesh.traffic.config.RouteEntry;
import dev.firemesh.traffic.config.StickyKey;
import dev.firemesh.traffic.route.SnapshotRouter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Copies of requests to mirror clusters: what a shadow receives, what is never copied, and that a
 * stuck or refusing shadow changes nothing for the caller. Buffers are checked for leaks (the
 * copies share the caller's).
 */
class MirroringTest {
  private static TestApp app;
  private static HttpServer shadow;
  private static final ConcurrentLinkedQueue<String> shadowed = new ConcurrentLinkedQueue<>();
  private static final CountDownLatch stuck = new CountDownLatch(1);
  private static Sidecar sidecar;

  @BeforeAll
  static void start() throws Exception {
    app = new TestApp().start();
    shadow = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
    shadow.createContext(
        "/",
        exchange -> {
          try (exchange) {
            String body =
                new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            shadowed.add(
                exchange.getRequestMethod()
                    + " "
                    + exchange.getRequestURI()
                    + " "
                    + exchange.getRequestHeaders().getFirst("Host")
                    + " "
                    + body.length());
            if (exchange.getRequestURI().getPath().contains("/stuck/")) {
              stuck.await();
            }
            exchange.sendResponseHeaders(204, -1);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        });
    shadow.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    shadow.start();
    int refusing;
    try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      refusing = probe.getLocalPort();
    }
    sidecar =
        SidecarPair.ephemeral(
                Sidecar.builder().router(new SnapshotRouter()).localAppPort(app.port()))
            .build()
            .start();
    sidecar.apply(
        MeshConfigs.builder()
            .service(
                "orders",
                entry(
                    "rewritten",
                    "/api/",
                    new PathRewrite.Prefix("/echo/"),
                    List.of(new RouteAction.Mirror("shadow", 100))),
                entry(
                    "mirrored",
                    "/",
                    PathRewrite.NONE,
                    List.of(
                        new RouteAction.Mirror("shadow", 100),
                        new RouteAction.Mirror("refusing", 100))))
            .cluster("orders", app.port())
            .cluster("shadow", shadow.getAddress().getPort())
            .cluster("refusing", refusing)
            .build("mirror-1"));
  }

  private static RouteEntry entry(
      String name, String prefix, PathRewrite rewrite, List<RouteAction.Mirror> mirrors) {
    return new RouteEntry(
        name,
        new RequestMatch(new PathMatcher.Prefix(prefix), List.of()),
        new RouteAction(
            List.of(new RouteAction.WeightedCluster("orders", 1)),
            Duration.ZERO,
            RouteAction.Retry.NONE,
            RouteAction.Fault.NONE,
            mirrors,
            "",
            StickyKey.NONE,
            rewrite,
            ""));
  }

  @AfterAll
  static void stop() {
    stuck.countDown();
    sidecar.close();
    shadow.stop(0);
    app.close();
  }

  private static RawHttp.Response post(String target, int bodyBytes, boolean chunked)
      throws Exception {
    byte[] body = "x".repeat(bodyBytes).getBytes(StandardCharsets.US_ASCII);
    try (RawHttp http = RawHttp.connect(sidecar.outboundAddress())) {
      String framing =
          chunked ? "Transfer-Encoding: chunked\r\n" : "Content-Length: " + body.length + "\r\n";
      http.send("POST " + target + " HTTP/1.1\r\nHost: orders:8080\r\n" + framing + "\r\n");
      if (chunked) {
        http.send(Integer.toHexString(body.length) + "\r\n");
        http.send(body);
        http.send("\r\n0\r\n\r\n");
      } else {
        http.send(body);
      }
      return http.read();
    }
  }

  @Test
  void aShadowGetsTheWholeRewrittenRequestWithItsHostMarked() throws Exception {
    RawHttp.Response response = post("/api/a?q=1", 5_000, true);

    assertThat(response.status()).isEqualTo(200);
    assertThat(TestApp.parseEcho(response.text())).containsEntry("target", "/echo/a?q=1");
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> assertThat(shadowed).contains("POST /echo/a?q=1 orders-shadow:8080 5000"));
  }

  @Test
  void aBodyOverTheBoundIsNotCopiedButStillForwarded() throws Exception {
    long dropped = sidecar.stats().mirrorsDropped();

    RawHttp.Response declared = post("/echo/big-declared", 100 * 1024, false);
    RawHttp.Response streamed = post("/echo/big-chunked", 100 * 1024, true);

    assertThat(declared.status()).isEqualTo(200);
    assertThat(streamed.status()).isEqualTo(200);
    // Two copies per request (shadow and refusing), none sent.
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> sidecar.stats().mirrorsDropped() >= dropped + 4);
    assertThat(shadowed).noneMatch(seen -> seen.contains("/big-"));
  }

  @Test
  void aStuckShadowAndARefusingOneChangeNothingForTheCaller() throws Exception {
    long failed = sidecar.stats().mirrorsFailed();
    for (int i = 0; i < 20; i++) {
      RawHttp.Response response = post("/echo/stuck/" + i, 100, false);
      assertThat(response.status()).isEqualTo(200);
    }
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> {
              assertThat(shadowed).filteredOn(s -> s.startsWith("POST /echo/stuck/")).hasSize(20);
              assertThat(sidecar.stats().mirrorsFailed()).isGreaterThanOrEqualTo(failed + 20);
            });
  }
}
