package dev.firemesh.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.firemesh.proxy.testing.FirstRouteRouter;
import dev.firemesh.proxy.testing.MeshConfigs;
import dev.firemesh.proxy.testing.RawHttp;
import dev.firemesh.proxy.testing.SidecarPair;
import dev.firemesh.proxy.testing.TestApp;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The admin listener as an operator (or a readiness probe) uses it. */
class AdminTest {
  private final HttpClient http = HttpClient.newHttpClient();
  private TestApp app;
  private Sidecar sidecar;

  @BeforeEach
  void start() throws Exception {
    app = new TestApp().start();
    sidecar =
        SidecarPair.ephemeral(
                Sidecar.builder().router(new FirstRouteRouter()).localAppPort(app.port()))
            .build()
            .start();
  }

  @AfterEach
  void stop() {
    sidecar.close();
    app.close();
  }

  private HttpResponse<String> admin(String path) throws Exception {
    URI uri = URI.create("http://127.0.0.1:" + sidecar.adminAddress().getPort() + path);
    return http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void readyOnlyOnceAConfigurationIsApplied() throws Exception {
    assertThat(admin("/ready").statusCode()).isEqualTo(503);
    assertThat(admin("/config_dump").statusCode()).isEqualTo(503);

    sidecar.apply(MeshConfigs.builder().build("v1"));

    assertThat(admin("/ready").statusCode()).isEqualTo(200);
  }

  @Test
  void configDumpShowsTheConfigurationInForce() throws Exception {
    sidecar.apply(
        MeshConfigs.builder()
            .service("orders", "orders")
            .cluster("orders", app.port())
            .build("v7"));

    HttpResponse<String> dump = admin("/config_dump");

    assertThat(dump.statusCode()).isEqualTo(200);
    assertThat(dump.headers().firstValue("content-type")).hasValue("application/json");
    assertThat(dump.body())
        .contains("\"version\": \"v7\"")
        .contains("\"orders\": {")
        .contains("\"type\": \"Prefix\"")
        .contains("\"connectTimeout\": \"1s\"")
        .contains("\"port\": " + app.port());
  }

  @Test
  void statsCountRequestsByListenerAndStatusClass() throws Exception {
    sidecar.apply(
        MeshConfigs.builder()
            .service("orders", "orders")
            .cluster("orders", app.port())
            .build("v1"));
    try (RawHttp raw = RawHttp.connect(sidecar.outboundAddress())) {
      raw.send("GET /echo HTTP/1.1\r\nHost: orders\r\n\r\n").read();
      raw.send("GET /echo HTTP/1.1\r\nHost: payments\r\n\r\n").read();
    }

    HttpResponse<String> stats = admin("/stats");

    assertThat(stats.statusCode()).isEqualTo(200);
    assertThat(stats.body().lines())
        .contains(
            "listener.outbound.responses.2xx 1",
            "listener.outbound.responses.4xx 1",
            "upstream.connections.opened 1")
        .anyMatch(line -> line.startsWith("listener.outbound.bytes.in "))
        .anyMatch(line -> line.startsWith("allocator.direct.used_bytes "))
        .anyMatch(line -> line.startsWith("jvm.heap.used_bytes "));
  }

  @Test
  void clustersShowEachEndpointAsTheRouterSeesIt() throws Exception {
    assertThat(admin("/clusters").statusCode()).isEqualTo(503);
    sidecar.apply(
        MeshConfigs.builder()
            .service("orders", "orders")
            .cluster("orders", app.port())
            .build("v1"));

    HttpResponse<String> clusters = admin("/clusters");

    assertThat(clusters.statusCode()).isEqualTo(200);
    assertThat(clusters.headers().firstValue("content-type")).hasValue("application/json");
    assertThat(clusters.body())
        .contains("\"name\": \"orders\"")
        .contains("\"address\": \"127.0.0.1:" + app.port() + "\"")
        .contains("\"serving\": true")
        .contains("\"activeRequests\": 0")
        .contains("\"priority\": 0");
  }

  @Test
  void readyTurnsUnavailableOnceTheSidecarDrains() throws Exception {
    sidecar.apply(MeshConfigs.builder().build("v1"));
    assertThat(admin("/ready").statusCode()).isEqualTo(200);

    Thread draining =
        Thread.ofVirtual()
            .start(
                () -> {
                  try {
                    sidecar.drain(java.time.Duration.ofSeconds(2), java.time.Duration.ofSeconds(1));
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                });
    org.awaitility.Awaitility.await().until(sidecar::draining);

    HttpResponse<String> ready = admin("/ready");
    assertThat(ready.statusCode()).isEqualTo(503);
    assertThat(ready.body()).isEqualTo("draining\n");
    draining.join();
  }

  @Test
  void otherPathsAndMethodsAreRefused() throws Exception {
    assertThat(admin("/nope").statusCode()).isEqualTo(404);
    URI uri = URI.create("http://127.0.0.1:" + sidecar.adminAddress().getPort() + "/ready");
    HttpResponse<String> post =
        http.send(
            HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.ofString("x")).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(post.statusCode()).isEqualTo(405);
  }

  @Test
  void aPortInUseIsReportedWithTheListenerAndAddress() {
    Sidecar second =
        Sidecar.builder()
            .router(new FirstRouteRouter())
            .localAppPort(app.port())
            .outboundPort(sidecar.outboundAddress().getPort())
            .inboundPort(0)
            .adminPort(0)
            .build();

    org.assertj.core.api.Assertions.assertThatThrownBy(second::start)
        .isInstanceOf(ListenerBindException.class)
        .hasMessageContaining(
            "outbound listener cannot listen on 127.0.0.1:" + sidecar.outboundAddress().getPort());
  }
}
