package dev.firemesh.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Resilience with real processes: a crashed instance costs callers no idempotent call, because the
 * route retries resets and refused connects on the other instances; and a request whose deadline
 * has passed is answered at once and never forwarded.
 */
class ResilienceMeshTest {
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
      kind: Route
      metadata: {name: orders}
      spec:
        service: orders
        rules:
          - destinations: [{}]
            timeout: 5s
            retry:
              attempts: 2
              perTryTimeout: 2s
              retryOn: [connect-failure, reset, 5xx]
              backoffBase: 10ms
              backoffMax: 50ms
      """;

  // One control plane for the class: each test brings sidecars and apps of its own (in its own
  // directory) and stops them before the next, so what a test proves comes from its own sidecars.
  @TempDir static Path shared;
  @TempDir Path tmp;
  private static ControlPlaneProcess control;

  @BeforeAll
  static void startControlPlane() throws Exception {
    control = ControlPlaneProcess.start(shared.resolve("control"));
    control.client().post("/v1/apply", ChildProcesses.applyBody("mesh.yaml", MESH));
  }

  @AfterAll
  static void stopControlPlane() {
    if (control != null) {
      control.close();
    }
  }

  @Test
  void oneOfThreeInstancesKilledMidLoadFailsNoIdempotentCall() throws Exception {
    try (Closer closer = new Closer()) {
      Path work = tmp.resolve("sidecars");
      LocalApp gatewayApp = closer.add(LocalApp.start("gateway-1"));
      List<LocalApp> apps =
          List.of(
              closer.add(LocalApp.start("orders-1")),
              closer.add(LocalApp.start("orders-2")),
              closer.add(LocalApp.start("orders-3")));
      List<SidecarProcess> sidecars =
          closer
              .add(new Fleet())
              .startTogether(
                  List.of(
                      gateway(control, work, gatewayApp),
                      instance(control, work, "orders-1", apps.get(0)),
                      instance(control, work, "orders-2", apps.get(1)),
                      instance(control, work, "orders-3", apps.get(2))));
      SidecarProcess gateway = sidecars.getFirst();
      List<SidecarProcess> instances = sidecars.subList(1, 4);
      Fleet.awaitRouting(gateway, "http://orders/who", List.of("orders-1", "orders-2", "orders-3"));
      Traffic traffic =
          closer.add(
              Traffic.start(gateway.outbound(), "http://orders/who", 4, Duration.ofMillis(2)));
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  traffic
                      .bodies()
                      .keySet()
                      .containsAll(List.of("orders-1", "orders-2", "orders-3")));

      String deadEndpoint = "127.0.0.1:" + instances.get(1).inbound().getPort();
      assertThat(get(gateway, "/clusters")).contains(deadEndpoint);
      instances.get(1).kill();
      long atKill = traffic.bodies().getOrDefault("orders-2", 0L);
      long callsBefore = traffic.calls();
      await().atMost(Duration.ofSeconds(60)).until(() -> traffic.calls() > callsBefore + 500);
      // Calls go on until the dead instance's lease (5 s) has lapsed and the callers' sidecar has
      // dropped it, and after.
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> !get(gateway, "/clusters").contains(deadEndpoint));
      long callsLater = traffic.calls();
      await().atMost(Duration.ofSeconds(30)).until(() -> traffic.calls() > callsLater + 200);
      traffic.close();

      assertThat(traffic.failures()).as("calls that failed").isEmpty();
      assertThat(traffic.bodies().getOrDefault("orders-2", 0L)).isEqualTo(atKill);
      assertThat(traffic.bodies().get("orders-1")).isPositive();
      assertThat(traffic.bodies().get("orders-3")).isPositive();
      String stats = get(gateway, "/stats/prometheus");
      assertThat(stats).contains("firemesh_proxy_upstream_retries_total{cluster=\"orders\"}");
    }
  }

  @Test
  void aRequestWhoseDeadlineHasPassedIsAnsweredAtOnceAndNeverForwarded() throws Exception {
    try (Closer closer = new Closer()) {
      Path work = tmp.resolve("sidecars");
      LocalApp gatewayApp = closer.add(LocalApp.start("gateway-1"));
      LocalApp ordersApp = closer.add(LocalApp.start("orders-1"));
      List<SidecarProcess> sidecars =
          closer
              .add(new Fleet())
              .startTogether(
                  List.of(
                      gateway(control, work, gatewayApp),
                      instance(control, work, "orders-1", ordersApp)));
      SidecarProcess gateway = sidecars.get(0);
      SidecarProcess orders = sidecars.get(1);
      HttpClient client =
          HttpClient.newBuilder().proxy(java.net.ProxySelector.of(gateway.outbound())).build();
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> send(client, "http://orders/who", "5000").statusCode() == 200);

      HttpResponse<String> expired = send(client, "http://orders/who", "0");

      assertThat(expired.statusCode()).isEqualTo(504);
      assertThat(expired.body()).contains("deadline expired");
      // The callee's sidecar answered every request it got: none was the expired one.
      String calleeStats = get(orders, "/stats/prometheus");
      assertThat(calleeStats)
          .contains(
              "firemesh_proxy_upstream_local_total{cluster=\"local_app\",reason=\"request_timeout\"} 0");
      String callerStats = get(gateway, "/stats/prometheus");
      assertThat(callerStats)
          .contains(
              "firemesh_proxy_upstream_local_total{cluster=\"orders\",reason=\"request_timeout\"} 1");
    }
  }

  /** The calling side: a gateway app's sidecar, through which the test calls orders. */
  private static Callable<SidecarProcess> gateway(
      ControlPlaneProcess control, Path work, LocalApp app) {
    return Fleet.sidecar(control.dataDir(), work, "gateway", "gateway-1", app.port());
  }

  private static Callable<SidecarProcess> instance(
      ControlPlaneProcess control, Path work, String id, LocalApp app) {
    return Fleet.sidecar(control.dataDir(), work, "orders", id, app.port());
  }

  private static HttpResponse<String> send(HttpClient client, String uri, String timeoutMs)
      throws Exception {
    return client.send(
        HttpRequest.newBuilder(URI.create(uri)).header("x-firemesh-timeout-ms", timeoutMs).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static String get(SidecarProcess sidecar, String path) throws Exception {
    HttpClient client = HttpClient.newHttpClient();
    return client
        .send(
            HttpRequest.newBuilder(
                    URI.create(
                        "http://"
                            + sidecar.admin().getHostString()
                            + ":"
                            + sidecar.admin().getPort()
                            + path))
                .build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }
}
