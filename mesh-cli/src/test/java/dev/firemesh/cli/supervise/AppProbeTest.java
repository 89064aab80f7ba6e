package dev.firemesh.cli.supervise;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What the supervisor asks the app: does it listen, and does its health path answer 2xx/3xx. */
class AppProbeTest {
  private HttpServer app;
  private final AtomicInteger status = new AtomicInteger(200);

  @BeforeEach
  void start() throws IOException {
    app = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
    app.createContext(
        "/health",
        exchange -> {
          byte[] body = "ok\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
          exchange.sendResponseHeaders(status.get(), body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    app.createContext(
        "/slow",
        exchange -> {
          try {
            Thread.sleep(Duration.ofSeconds(5));
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          exchange.sendResponseHeaders(200, -1);
          exchange.close();
        });
    app.setExecutor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
    app.start();
  }

  @AfterEach
  void stop() {
    app.stop(0);
  }

  private int port() {
    return app.getAddress().getPort();
  }

  @Test
  void aListeningAppWithoutAHealthPathIsHealthy() {
    AppProbe probe = new AppProbe(List.of(port()), 0, Optional.empty(), Duration.ofSeconds(1));

    assertThat(probe.closedPorts()).isEmpty();
    assertThat(probe.hasHealthCheck()).isFalse();
    assertThat(probe.unhealthy()).isEmpty();
  }

  @Test
  void aPortNobodyListensOnIsReportedClosed() throws IOException {
    int closed;
    try (ServerSocket socket = new ServerSocket(0)) {
      closed = socket.getLocalPort();
    }
    AppProbe probe =
        new AppProbe(List.of(port(), closed), 0, Optional.empty(), Duration.ofSeconds(1));

    assertThat(probe.closedPorts()).containsExactly(closed);
  }

  @Test
  void theHealthPathIsHealthyOn2xxAnd3xxAndSaysWhyOtherwise() {
    AppProbe probe =
        new AppProbe(List.of(port()), port(), Optional.of("/health"), Duration.ofSeconds(2));

    assertThat(probe.unhealthy()).isEmpty();
    status.set(302);
    assertThat(probe.unhealthy()).isEmpty();
    status.set(503);
    assertThat(probe.unhealthy()).contains("GET /health answered 503");
  }

  @Test
  void aHealthPathNotAnsweredInTimeIsUnhealthy() {
    AppProbe probe =
        new AppProbe(List.of(port()), port(), Optional.of("/slow"), Duration.ofMillis(200));

    assertThat(probe.unhealthy()).contains("GET /slow: no answer within 200ms");
  }

  @Test
  void aHealthPathOnAClosedPortIsUnhealthy() throws IOException {
    int closed;
    try (ServerSocket socket = new ServerSocket(0)) {
      closed = socket.getLocalPort();
    }
    AppProbe probe =
        new AppProbe(List.of(closed), closed, Optional.of("/health"), Duration.ofSeconds(1));

    assertThat(probe.unhealthy()).get().asString().startsWith("GET /health: ");
  }
}
