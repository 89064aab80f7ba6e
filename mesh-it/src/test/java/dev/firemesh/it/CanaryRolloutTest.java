package dev.firemesh.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.firemesh.cli.client.AdminClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Progressive delivery with real processes: a gateway's sidecar calls orders under steady traffic;
 * a Canary shifts the rule's weight from v1 to a new version step by step, judged on the gateway
 * sidecar's own metrics. A version that answers 500 to a third of its calls is rolled back by
 * itself; a healthy one is promoted.
 */
class CanaryRolloutTest {
  private static final String MESH =
      """
      apiVersion: firemesh.dev/v1
      kind: Service
      metadata: {name: orders}
      spec:
        ports: [{name: http, port: 8080, protocol: http1}]
        subsets:
          - {name: v1, labels: {version: v1}}
          - {name: v2, labels: {version: v2}}
          - {name: v3, labels: {version: v3}}
      ---
      apiVersion: firemesh.dev/v1
      kind: Service
      metadata: {name: gateway}
      spec:
        ports: [{name: http, port: 8080, protocol: http1}]
      """;

  private static final String ROUTE =
      """
      apiVersion: firemesh.dev/v1
      kind: Route
      metadata: {name: orders}
      spec:
        service: orders
        rules:
          - name: canary-split
            destinations: [{subset: v1}]
      """;

  private static String canary(String version) {
    return canary(version, "[20, 50, 100]", "2s");
  }

  private static String canary(String version, String steps, String interval) {
    return """
        apiVersion: firemesh.dev/v1
        kind: Canary
        metadata: {name: orders-%s}
        spec:
          service: orders
          route: orders
          rule: canary-split
          stable: v1
          canary: %s
          steps: %s
          stepInterval: %s
          analysis: {minRequests: 20, maxErrorRate: 1.0, maxErrorRateIncrease: 0.5, maxP99Ratio: 100}
        """
        .formatted(version, version, steps, interval);
  }

  @TempDir static Path tmp;
  private static final Closer closer = new Closer();
  private static ControlPlaneProcess control;
  private static AdminClient admin;
  private static Traffic traffic;
  private static int adminPort;
  private static int xdsPort;

  @BeforeAll
  static void startMesh() throws Exception {
    adminPort = freePort();
    xdsPort = freePort();
    control =
        closer.add(ControlPlaneProcess.startOnPorts(tmp.resolve("control"), adminPort, xdsPort));
    admin = control.client();
    admin.post("/v1/apply", ChildProcesses.applyBody("mesh.yaml", MESH + "---\n" + ROUTE));
    Path work = tmp.resolve("sidecars");
    LocalApp gatewayApp = closer.add(LocalApp.start("gateway-1"));
    List<LocalApp> apps =
        List.of(
            closer.add(LocalApp.start("orders-v1")),
            closer.add(LocalApp.failing("orders-v2", 3)),
            closer.add(LocalApp.start("orders-v3")));
    // The sidecars start (and stop) together: each spends most of its start waiting, not
    // computing, and most of its stop in its drain delay.
    List<Callable<SidecarProcess>> starts = new ArrayList<>();
    starts.add(Fleet.sidecar(control.dataDir(), work, "gateway", "gateway-1", gatewayApp.port()));
    for (int v = 1; v <= 3; v++) {
      String id = "orders-v" + v;
      int port = apps.get(v - 1).port();
      String label = "version=v" + v;
      starts.add(Fleet.sidecar(control.dataDir(), work, "orders", id, port, label));
    }
    List<SidecarProcess> sidecars = closer.add(new Fleet()).startTogether(starts);
    SidecarProcess gateway = sidecars.getFirst();
    traffic =
        closer.add(Traffic.start(gateway.outbound(), "http://orders/who", 4, Duration.ofMillis(2)));
    await().atMost(Duration.ofSeconds(30)).until(() -> traffic.bodies().containsKey("orders-v1"));
  }

  @AfterAll
  static void stopMesh() throws Exception {
    closer.close();
  }

  @BeforeEach
  void routeEverythingToV1() {
    for (JsonNode c : admin.get("/v1/canaries").path("items")) {
      admin.delete("/v1/resources/Canary/" + AdminClient.encode(c.path("name").asText()));
    }
    admin.post("/v1/apply", ChildProcesses.applyBody("route.yaml", ROUTE));
  }

  @Test
  void aCanaryWithInjectedErrorsIsRolledBackByItself() throws Exception {
    long head = admin.get("/v1/version").path("revision").asLong();
    admin.post("/v1/apply", ChildProcesses.applyBody("canary.yaml", canary("v2")));

    JsonNode status = awaitFinished("orders-v2");

    assertThat(status.path("state").asText()).isEqualTo("failed");
    assertThat(status.path("reason").asText())
        .startsWith("rolled back at step 1/3: canary error rate")
        .contains("is above maxErrorRate 1%");
    assertThat(status.path("weights").path("v2").asInt()).isZero();
    assertThat(status.path("weights").path("v1").asInt()).isEqualTo(100);
    JsonNode last = status.path("lastDecision");
    assertThat(last.path("decision").asText()).isEqualTo("roll-back");
    assertThat(last.path("canary").path("requests").asLong()).isGreaterThanOrEqualTo(20);
    assertThat(last.path("canary").path("errorRate").asDouble()).isGreaterThan(20);
    assertThat(last.path("stable").path("errorRate").asDouble()).isZero();
    assertThat(weights()).containsExactly("v1=100", "v2=0");
    assertThat(controllerRevisionsSince(head))
        .hasSize(2)
        .satisfiesExactly(
            start -> assertThat(start).contains("step 1/3: started: v2 at 20%, v1 at 80%"),
            rollback -> assertThat(rollback).contains("step 1/3: rolled back at step 1/3"));
    // After the rollback no call reaches v2 any more.
    long v2 = traffic.bodies().getOrDefault("orders-v2", 0L);
    long calls = traffic.calls();
    await().atMost(Duration.ofSeconds(10)).until(() -> traffic.calls() > calls + 300);
    assertThat(traffic.bodies().getOrDefault("orders-v2", 0L)).isLessThanOrEqualTo(v2 + 4);
    // Every decision is in the control plane's log, with its figures.
    assertThat(control.log())
        .containsPattern(
            "canary=orders-v2 step=1/3 weight=20 canaryRequests=0 .* decision=start"
                + " state=progressing revision=\\d+ reason=\"started: v2 at 20%, v1 at 80%\"")
        .containsPattern(
            "canary=orders-v2 step=1/3 weight=0 canaryRequests=\\d+ canaryErrors=[0-9.]+%"
                + " stableRequests=\\d+ stableErrors=0.00% canaryP99=[0-9.]+ms"
                + " stableP99=[0-9.]+ms decision=roll-back state=failed revision=\\d+");
  }

  @Test
  void aHealthyCanaryIsPromotedStepByStep() {
    long head = admin.get("/v1/version").path("revision").asLong();
    admin.post("/v1/apply", ChildProcesses.applyBody("canary.yaml", canary("v3")));

    JsonNode status = awaitFinished("orders-v3");

    assertThat(status.path("state").asText()).as(status.toString()).isEqualTo("promoted");
    assertThat(status.path("weights").path("v3").asInt()).isEqualTo(100);
    List<String> decisions = new ArrayList<>();
    status.path("decisions").forEach(d -> decisions.add(d.path("decision").asText()));
    assertThat(decisions.stream().filter(d -> !d.equals("wait")))
        .containsExactly("start", "advance", "advance", "promote");
    assertThat(weights()).containsExactly("v1=0", "v3=100");
    assertThat(controllerRevisionsSince(head)).hasSize(3); // 20%, 50%, 100%: promotion had it
    long v1 = traffic.bodies().getOrDefault("orders-v1", 0L);
    long calls = traffic.calls();
    await().atMost(Duration.ofSeconds(10)).until(() -> traffic.calls() > calls + 300);
    assertThat(traffic.bodies().getOrDefault("orders-v1", 0L)).isLessThanOrEqualTo(v1 + 4);
  }

  @Test
  void aRunCarriesOnAtItsStepWhenTheControlPlaneIsKilledAndComesBack() throws Exception {
    admin.post(
        "/v1/apply",
        ChildProcesses.applyBody("canary.yaml", canary("v3", "[10, 20, 30, 40, 100]", "2s")));
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(100))
        .until(() -> admin.get("/v1/canaries/orders-v3").path("step").asInt() >= 2);

    control.kill();
    control =
        closer.add(ControlPlaneProcess.startOnPorts(tmp.resolve("control"), adminPort, xdsPort));
    admin = control.client();
    JsonNode status = awaitFinished("orders-v3");

    assertThat(status.path("state").asText()).as(status.toString()).isEqualTo("promoted");
    List<String> decisions = new ArrayList<>();
    status.path("decisions").forEach(d -> decisions.add(d.path("decision").asText()));
    assertThat(decisions).as("one run, not started again").containsOnlyOnce("start");
    assertThat(decisions.stream().filter(d -> d.equals("advance"))).hasSize(4);
    assertThat(control.log())
        .containsPattern(
            "canary=orders-v3 step=[2-5]/5 weight=\\d+ window opened \\(resumed at step");
  }

  private static int freePort() throws java.io.IOException {
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private static JsonNode awaitFinished(String name) {
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(200))
        .until(
            () -> {
              String state = admin.get("/v1/canaries/" + name).path("state").asText();
              return state.equals("failed") || state.equals("promoted");
            });
    return admin.get("/v1/canaries/" + name);
  }

  /** The canary-split rule's destinations as stored, {@code subset=weight}. */
  private static List<String> weights() {
    JsonNode route = admin.get("/v1/resources/Route/orders").path("resource");
    List<String> weights = new ArrayList<>();
    for (JsonNode d : route.path("spec").path("rules").get(0).path("destinations")) {
      weights.add(d.path("subset").asText() + "=" + d.path("weight").asInt(1));
    }
    return weights;
  }

  /** Messages of the revisions the controller wrote after {@code head}, oldest first. */
  private static List<String> controllerRevisionsSince(long head) {
    List<String> messages = new ArrayList<>();
    for (JsonNode r : admin.get("/v1/revisions?limit=50").path("items")) {
      if (r.path("revision").asLong() > head
          && r.path("actor").asText().equals("canary-controller")) {
        messages.addFirst(r.path("message").asText());
      }
    }
    return messages;
  }
}
