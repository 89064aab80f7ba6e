package dev.firemesh.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.firemesh.cli.client.AdminClient;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Local rate limits with real processes: a RateLimit applied to the control plane reaches the
 * orders instance's sidecar, which answers calls over the burst with 429 and {@code retry-after};
 * callers' sidecars say who is calling, so each calling service has a bucket of its own; and a new
 * limit applied later takes effect without restarting anything.
 */
class RateLimitMeshTest {
  private static final int BURST = 5;
  private static final double RATE = 0.2; // one token per 5 s

  @TempDir Path tmp;

  @Test
  void callsOverTheBurstAre429PerCallerAndANewLimitAppliesLive() throws Exception {
    try (Closer resources = new Closer()) {
      ControlPlaneProcess control = ControlPlaneProcess.start(tmp.resolve("control"));
      resources.add(control);
      AdminClient admin = control.client();
      admin.post(
          "/v1/apply",
          ChildProcesses.applyBody(
              "mesh.yaml",
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
              kind: Service
              metadata: {name: risk}
              spec:
                ports: [{name: http, port: 8080, protocol: http1}]
              """
                  + limits(BURST)));

      LocalApp ordersApp = resources.add(LocalApp.start("orders"));
      LocalApp gatewayApp = resources.add(LocalApp.start("gateway"));
      LocalApp riskApp = resources.add(LocalApp.start("risk"));
      Path work = tmp.resolve("sidecars");
      List<SidecarProcess> sidecars =
          resources
              .add(new Fleet())
              .startTogether(
                  List.of(
                      Fleet.sidecar(
                          control.dataDir(), work, "orders", "orders-1", ordersApp.port()),
                      Fleet.sidecar(
                          control.dataDir(), work, "gateway", "gateway-1", gatewayApp.port()),
                      Fleet.sidecar(control.dataDir(), work, "risk", "risk-1", riskApp.port())));
      SidecarProcess orders = sidecars.get(0);
      SidecarProcess gateway = sidecars.get(1);
      SidecarProcess risk = sidecars.get(2);
      HttpClient fromGateway = client(gateway);
      HttpClient fromRisk = client(risk);
      // Reads are not limited: they show when orders can be reached at all.
      for (HttpClient client : List.of(fromGateway, fromRisk)) {
        await()
            .atMost(Duration.ofSeconds(30))
            .ignoreExceptions()
            .until(() -> send(client, "GET").statusCode() == 200);
      }

      Burst first = Burst.of(fromGateway, 20);
      assertThat(first.admitted())
          .as("the burst, plus what refilled while the calls were made")
          .isBetween(BURST, BURST + first.refilled());
      assertThat(first.limited()).isNotEmpty().hasSize(20 - first.admitted());
      for (HttpResponse<String> refused : first.limited()) {
        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(refused.headers().firstValue("x-firemesh-ratelimited")).contains("place-orders");
        assertThat(refused.headers().firstValue("retry-after").map(Long::parseLong))
            .hasValueSatisfying(seconds -> assertThat(seconds).isBetween(1L, 5L));
      }

      // risk has a bucket of its own, however empty gateway's is.
      Burst fromOtherCaller = Burst.of(fromRisk, 20);
      assertThat(fromOtherCaller.admitted()).isBetween(BURST, BURST + fromOtherCaller.refilled());

      // A higher limit, applied while everything runs, reaches the orders sidecar.
      int higher = 40;
      admin.post("/v1/apply", ChildProcesses.applyBody("limits.yaml", limits(higher)));
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> admin(orders, "/config_dump").contains("\"burst\": " + higher));
      Burst after = Burst.of(fromGateway, 20);
      assertThat(after.admitted()).as("a changed rule starts with full buckets").isEqualTo(20);

      assertThat(admin(orders, "/stats/prometheus"))
          .contains(
              "firemesh_proxy_ratelimit_requests_total{rule=\"place-orders\",result=\"limited\"} "
                  + (first.limited().size() + fromOtherCaller.limited().size()));

      assertThat(Cli.run("get", "ratelimit", "--data-dir", control.dataDir().toString()).out())
          .contains("RateLimit")
          .contains("orders-limits")
          .contains("service orders, 1 rule(s)");
    }
  }

  private static String limits(int burst) {
    return """
        ---
        apiVersion: firemesh.dev/v1
        kind: RateLimit
        metadata: {name: orders-limits}
        spec:
          service: orders
          rules:
            - name: place-orders
              match: [{path: {prefix: /orders}, methods: [POST]}]
              tokensPerSecond: %s
              burst: %d
              per: caller
        """
        .formatted(RATE, burst);
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

  private static HttpClient client(SidecarProcess sidecar) {
    return HttpClient.newBuilder()
        .proxy(ProxySelector.of(sidecar.outbound()))
        .connectTimeout(Duration.ofSeconds(5))
        .build();
  }

  private static HttpResponse<String> send(HttpClient client, String method) throws Exception {
    return client.send(
        HttpRequest.newBuilder(URI.create("http://orders/orders"))
            .method(method, HttpRequest.BodyPublishers.ofString("order"))
            .timeout(Duration.ofSeconds(10))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** Calls made back to back, and the most tokens that can have refilled meanwhile. */
  private record Burst(int admitted, List<HttpResponse<String>> limited, int refilled) {
    static Burst of(HttpClient client, int calls) throws Exception {
      long start = System.nanoTime();
      int admitted = 0;
      List<HttpResponse<String>> limited = new ArrayList<>();
      for (int i = 0; i < calls; i++) {
        HttpResponse<String> response = send(client, "POST");
        if (response.statusCode() == 200) {
          admitted++;
        } else {
          limited.add(response);
        }
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      return new Burst(admitted, limited, (int) Math.ceil(seconds * RATE));
    }
  }
}
