package dev.firemesh.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.firemesh.control.ControlPlane;
import dev.firemesh.control.ControlPlaneFiles;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo's wiring as {@code firemesh demo} starts it, against the real sample mesh
 * (examples/trading/mesh) and an embedded PostgreSQL in a fresh directory, on free ports: a call
 * through the gateway's sidecar to {@code http://orders/} follows the canary route to an orders
 * instance through that instance's own sidecar, and everything stops cleanly.
 */
class TradingDemoTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path SAMPLE_MESH =
      Path.of("..", "examples", "trading", "mesh").toAbsolutePath().normalize();

  @TempDir Path dataDir;

  @Test
  void gatewayCallsOrdersThroughTheSidecarsAlongTheCanaryRoute() throws Exception {
    TradingDemo.Settings settings =
        new TradingDemo.Settings(
            ControlPlane.Options.defaults(dataDir).withPorts(0, 0), SAMPLE_MESH, 0);
    List<InetSocketAddress> listeners = new ArrayList<>();
    try (TradingDemo demo = TradingDemo.start(settings)) {
      assertThat(demo.awaitReady(Duration.ofSeconds(30))).isTrue();
      assertThat(demo.instances()).hasSize(8);
      for (TradingDemo.SampleInstance instance : demo.instances()) {
        // Registered where its sidecar listens, not where its app does.
        assertThat(instance.registration().port())
            .isEqualTo(instance.sidecar().inboundAddress().getPort())
            .isNotEqualTo(instance.app().getAddress().getPort());
        listeners.add(instance.app().getAddress());
        listeners.add(instance.sidecar().inboundAddress());
        listeners.add(instance.sidecar().outboundAddress());
        listeners.add(instance.sidecar().adminAddress());
      }
      listeners.add(new InetSocketAddress("127.0.0.1", demo.controlPlane().adminPort()));
      listeners.add(new InetSocketAddress("127.0.0.1", demo.controlPlane().xdsPort()));
      assertThat(
              demo.controlPlane().registry().instances("orders").stream()
                  .map(i -> i.instanceId())
                  .toList())
          .containsExactly("orders-v1-1", "orders-v1-2", "orders-v2-1");

      try (HttpClient gateway =
          HttpClient.newBuilder()
              .proxy(ProxySelector.of(demo.gateway().sidecar().outboundAddress()))
              .build()) {
        callOrders(gateway);
      }
    }

    // Stopped: every listener is free again, PostgreSQL is down, control.json is gone.
    for (InetSocketAddress listener : listeners) {
      assertThat(canBind(listener)).as("%s is free", listener).isTrue();
    }
    assertThat(dataDir.resolve("pg").resolve("postmaster.pid")).doesNotExist();
    assertThat(dataDir.resolve(ControlPlaneFiles.ADDRESSES)).doesNotExist();

    // The instances left the registry on the way out, not by their leases lapsing.
    try (ControlPlane again =
        ControlPlane.start(ControlPlane.Options.defaults(dataDir).withPorts(0, 0))) {
      assertThat(again.registry().instances()).isEmpty();
    }
  }

  /** Calls orders through the gateway's sidecar, as the gateway app would. */
  private static void callOrders(HttpClient gateway) throws IOException, InterruptedException {
    Map<String, Integer> byVersion = new HashMap<>();
    for (int i = 0; i < 200; i++) {
      JsonNode answer = call(gateway, "http://orders/anything", Map.of());
      assertThat(answer.path("service").asText()).isEqualTo("orders");
      assertThat(answer.path("instance").asText())
          .isIn("orders-v1-1", "orders-v1-2", "orders-v2-1");
      assertThat(answer.path("instance").asText()).contains(answer.path("version").asText());
      assertThat(answer.path("path").asText()).isEqualTo("/anything");
      // The gateway's sidecar gave the call an id, and the orders sidecar kept it.
      assertThat(answer.path("x-request-id").asText()).matches("[0-9a-f]{32}");
      byVersion.merge(answer.path("version").asText(), 1, Integer::sum);
    }
    // 90/10: both versions answer, v1 far more often (each fails with odds below 1e-9).
    assertThat(byVersion.keySet()).containsExactlyInAnyOrder("v1", "v2");
    assertThat(byVersion.get("v1")).isGreaterThan(byVersion.get("v2"));

    for (int i = 0; i < 20; i++) {
      JsonNode answer =
          call(
              gateway,
              "http://orders/",
              Map.of("x-canary", "always", "x-request-id", "canary-" + i));
      assertThat(answer.path("instance").asText()).isEqualTo("orders-v2-1");
      assertThat(answer.path("path").asText()).isEqualTo("/");
      assertThat(answer.path("x-request-id").asText()).isEqualTo("canary-" + i);
    }
  }

  private static JsonNode call(HttpClient client, String uri, Map<String, String> headers)
      throws IOException, InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(uri));
    headers.forEach(request::header);
    HttpResponse<String> response =
        client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as("%s answered %s", uri, response.body()).isEqualTo(200);
    return JSON.readTree(response.body());
  }

  private static boolean canBind(InetSocketAddress address) {
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(true);
      socket.bind(address);
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
