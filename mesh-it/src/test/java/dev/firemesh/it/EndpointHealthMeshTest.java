package dev.firemesh.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Active health checks with real processes: a TrafficPolicy asks callers' sidecars to check each
 * instance of {@code orders}; when one instance's health endpoint starts failing, the caller's
 * sidecar stops sending it calls, and sends them again once it recovers. The check travels as a
 * call would: caller's sidecar, the instance's sidecar, its app.
 */
class EndpointHealthMeshTest {
  private static final String MESH =
      """
      apiVersion: firemesh.dev/v1
      kind: Service
      metadata: {name: orders}
      spec:
        ports: [{name: http, port: 8080, protocol: http1}]
      ---
      apiVersion: firemesh.dev/v1
      kind: Service
      metadata: {name: gateway}
      spec:
        ports: [{name: http, port: 8080, protocol: http1}]
      ---
      apiVersion: firemesh.dev/v1
      kind: TrafficPolicy
      metadata: {name: orders}
      spec:
        service: orders
        healthCheck:
          type: HTTP
          path: /health
          interval: 200ms
          timeout: 1s
          unhealthyThreshold: 2
          healthyThreshold: 2
        outlierDetection:
          consecutiveGatewayErrors: 3
          interval: 1s
          baseEjectionTime: 30s
          maxEjectionPercent: 50
      """;

  @TempDir Path tmp;

  @Test
  void anInstanceFailingItsHealthCheckGetsNoCallsUntilItRecovers() throws Exception {
    try (Closer closer = new Closer()) {
      ControlPlaneProcess control = closer.add(ControlPlaneProcess.start(tmp.resolve("control")));
      control.client().post("/v1/apply", ChildProcesses.applyBody("mesh.yaml", MESH));
      Path work = tmp.resolve("sidecars");
      LocalApp gatewayApp = closer.add(LocalApp.start("gateway-1"));
      List<LocalApp> apps = new ArrayList<>();
      for (String id : List.of("orders-1", "orders-2", "orders-3")) {
        apps.add(closer.add(LocalApp.start(id)));
      }
      // The four sidecars start (and stop) side by side: each JVM start is seconds on a busy
      // machine, each stop its drain delay.
      List<Callable<SidecarProcess>> starts = new ArrayList<>();
      starts.add(Fleet.sidecar(control.dataDir(), work, "gateway", "gateway-1", gatewayApp.port()));
      for (int i = 0; i < apps.size(); i++) {
        String id = "orders-" + (i + 1);
        int port = apps.get(i).port();
        starts.add(Fleet.sidecar(control.dataDir(), work, "orders", id, port));
      }
      SidecarProcess gateway = closer.add(new Fleet()).startTogether(starts).getFirst();
      HttpClient client =
          HttpClient.newBuilder()
              .proxy(ProxySelector.of(gateway.outbound()))
              .connectTimeout(Duration.ofSeconds(5))
              .build();
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () -> answers(client, 30).containsAll(List.of("orders-1", "orders-2", "orders-3")));

      apps.get(1).health(503);
      await()
          .atMost(Duration.ofSeconds(15))
          .until(() -> clusters(gateway).contains("\"health\": \"failing_check\""));
      assertThat(answers(client, 30))
          .as("30 calls in a row after the check failed")
          .hasSize(30)
          .doesNotContain("orders-2")
          .contains("orders-1", "orders-3");
      assertThat(prometheus(gateway))
          .contains("firemesh_proxy_upstream_endpoints_healthy{cluster=\"orders\"} 2");

      apps.get(1).health(200);
      await().atMost(Duration.ofSeconds(15)).until(() -> answers(client, 30).contains("orders-2"));
      assertThat(clusters(gateway)).doesNotContain("failing_check");
    }
  }

  /** The answers (app names) of {@code calls} calls to orders; failed calls are left out. */
  private static List<String> answers(HttpClient client, int calls) throws Exception {
    List<String> names = new ArrayList<>();
    for (int i = 0; i < calls; i++) {
      HttpResponse<String> response =
          client.send(
              HttpRequest.newBuilder(URI.create("http://orders/who"))
                  .timeout(Duration.ofSeconds(5))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() == 200) {
        names.add(response.body());
      }
    }
    return names;
  }

  private static String clusters(SidecarProcess sidecar) throws Exception {
    return admin(sidecar, "/clusters");
  }

  private static String prometheus(SidecarProcess sidecar) throws Exception {
    return admin(sidecar, "/stats/prometheus");
  }

  private static String admin(SidecarProcess sidecar, String path) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + sidecar.admin().getPort() + path))
                .build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }
}
