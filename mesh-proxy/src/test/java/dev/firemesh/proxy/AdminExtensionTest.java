package dev.firemesh.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.firemesh.proxy.admin.AdminExtension;
import dev.firemesh.proxy.admin.AdminMetric;
import dev.firemesh.proxy.testing.FirstRouteRouter;
import dev.firemesh.proxy.testing.MeshConfigs;
import dev.firemesh.proxy.testing.SidecarPair;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What {@code firemesh run} builds on: an admin extension's page and metrics on the admin port, a
 * drain that lets the caller stop its app before the listeners close, and a sidecar for an app that
 * serves nothing.
 */
class AdminExtensionTest {
  private final HttpClient http = HttpClient.newHttpClient();
  private final AtomicLong restarts = new AtomicLong(3);
  private Sidecar sidecar;

  private final AdminExtension extension =
      new AdminExtension() {
        @Override
        public Map<String, Supplier<String>> jsonPages() {
          return Map.of("/app", () -> "{\"restarts\": " + restarts.get() + "}");
        }

        @Override
        public List<AdminMetric> metrics() {
          return List.of(
              AdminMetric.counter("app.restarts", "Restarts of the app.", restarts.get()),
              AdminMetric.gauge("app.up", "1 while the app runs.", 1));
        }
      };

  @AfterEach
  void stop() {
    if (sidecar != null) {
      sidecar.close();
    }
  }

  private HttpResponse<String> admin(String path) throws Exception {
    URI uri = URI.create("http://127.0.0.1:" + sidecar.adminAddress().getPort() + path);
    return http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void theExtensionsPageAndMetricsAreServedBesideTheSidecarsOwn() throws Exception {
    sidecar =
        SidecarPair.ephemeral(
                Sidecar.builder()
                    .router(new FirstRouteRouter())
                    .localAppPort(9)
                    .adminExtension(extension))
            .build()
            .start();

    HttpResponse<String> page = admin("/app");
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.headers().firstValue("content-type")).hasValue("application/json");
    assertThat(page.body()).isEqualTo("{\"restarts\": 3}");
    restarts.set(4);
    assertThat(admin("/app").body()).isEqualTo("{\"restarts\": 4}");

    assertThat(admin("/stats").body()).contains("\napp.restarts 4\n", "\napp.up 1\n");
    assertThat(admin("/stats/prometheus").body())
        .contains(
            "# TYPE firemesh_proxy_app_restarts_total counter\n"
                + "firemesh_proxy_app_restarts_total 4\n",
            "# HELP firemesh_proxy_app_up 1 while the app runs.\n"
                + "# TYPE firemesh_proxy_app_up gauge\n"
                + "firemesh_proxy_app_up 1\n");
    HttpResponse<String> unknown = admin("/nope");
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(unknown.body()).contains("/app");
  }

  @Test
  void aDrainRunsItsStepWhileTheListenersStillAcceptThenClosesThem() throws Exception {
    sidecar =
        SidecarPair.ephemeral(Sidecar.builder().router(new FirstRouteRouter()).localAppPort(9))
            .build()
            .start();
    InetSocketAddress inbound = sidecar.inboundAddress();
    AtomicBoolean acceptedDuringStep = new AtomicBoolean();

    sidecar.drain(
        Duration.ZERO, Duration.ofSeconds(1), () -> acceptedDuringStep.set(accepts(inbound)));

    assertThat(acceptedDuringStep).isTrue();
    assertThat(accepts(inbound)).isFalse();
  }

  @Test
  void aSidecarForAnAppThatServesNothingRoutesItsCallsAndAnswers503Inbound() throws Exception {
    sidecar =
        SidecarPair.ephemeral(Sidecar.builder().router(new FirstRouteRouter()).outboundOnly())
            .build()
            .start();
    sidecar.apply(MeshConfigs.builder().build("v1"));

    HttpResponse<String> inbound =
        http.send(
            HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + sidecar.inboundAddress().getPort() + "/x"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(inbound.statusCode()).isEqualTo(503);
    HttpClient viaSidecar =
        HttpClient.newBuilder().proxy(ProxySelector.of(sidecar.outboundAddress())).build();
    HttpResponse<String> outbound =
        viaSidecar.send(
            HttpRequest.newBuilder(URI.create("http://no-such-service/x")).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(outbound.statusCode()).isEqualTo(404); // routed (and refused) by the router
  }

  private static boolean accepts(InetSocketAddress address) {
    try (Socket socket = new Socket()) {
      socket.connect(address, 1_000);
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
