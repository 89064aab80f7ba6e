package dev.firemesh.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.firemesh.cli.client.AdminClient;
import java.net.ProxySelector;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code firemesh run} with real processes: a control plane, a stable orders instance and a gateway
 * behind {@code firemesh proxy}, and apps supervised by {@code firemesh run}. The app starts only
 * once its sidecar is ready; a crashed app is out of discovery while it is down (the gateway's
 * calls all go to the other instance), restarted, and back; a crash loop is given up with a
 * non-zero exit; a batch job that exits 0 ends {@code run} with 0; SIGTERM stops the app; SIGKILL
 * of {@code run} leaves no orphan.
 */
class SupervisedAppTest {
  @TempDir static Path tmp;

  private static final Closer shared = new Closer();
  private static ControlPlaneProcess control;
  private static SidecarProcess gateway;

  @BeforeAll
  static void mesh() throws Exception {
    control = shared.add(ControlPlaneProcess.start(tmp.resolve("control")));
    control
        .client()
        .post(
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
                metadata: {name: reports}
                spec:
                  ports: [{name: http, port: 8080, protocol: http1}]
                """));
    Path work = tmp.resolve("sidecars");
    LocalApp stable = shared.add(LocalApp.start("orders-stable"));
    LocalApp gatewayApp = shared.add(LocalApp.start("gateway"));
    gateway =
        shared
            .add(new Fleet())
            .startTogether(
                List.of(
                    Fleet.sidecar(
                        control.dataDir(), work, "gateway", "gateway-1", gatewayApp.port()),
                    Fleet.sidecar(
                        control.dataDir(), work, "orders", "orders-stable", stable.port())))
            .getFirst();
  }

  @AfterAll
  static void stopMesh() throws Exception {
    shared.close();
  }

  @Test
  void aCrashedAppIsOutOfDiscoveryWhileDownThenRestartedAndSigtermStopsIt() throws Exception {
    Path record = Files.createDirectories(tmp.resolve("crash"));
    int port = freePort();
    List<String> options = new ArrayList<>();
    options.addAll(
        List.of(
            "--app-port",
            Integer.toString(port),
            "--health-path",
            "/health",
            "--health-interval",
            "500ms",
            "--restart-backoff",
            "100ms",
            "--drain-delay",
            "500ms",
            "--"));
    options.addAll(
        RunProcess.supervisedApp("serve", "orders-run", Integer.toString(port), record.toString()));
    try (RunProcess run =
        RunProcess.start(control.dataDir(), tmp.resolve("runs"), "orders", "orders-run", options)) {
      HttpClient viaGateway =
          HttpClient.newBuilder().proxy(ProxySelector.of(gateway.outbound())).build();
      await()
          .atMost(Duration.ofSeconds(30))
          .ignoreExceptions()
          .until(() -> callOrders(viaGateway).equals("orders-run"));
      // The app found its sidecar ready when it started.
      assertThat(Files.readAllLines(record.resolve("starts")))
          .singleElement()
          .asString()
          .endsWith("sidecar-ready=200");
      long firstPid = run.app().path("pid").asLong();

      // Held down once it is restarted, so the test sees it out of discovery.
      Files.createFile(record.resolve("gate"));
      crash(port);
      await()
          .atMost(Duration.ofSeconds(15))
          .until(
              () ->
                  run.app().path("restarts").asInt() == 1
                      && !run.app().path("registered").asBoolean());
      assertThat(ProcessHandle.of(firstPid)).isEmpty();
      JsonNode down = run.app();
      assertThat(down.path("lastExit").path("code").asInt()).isEqualTo(1);
      assertThat(instances()).doesNotContain("orders-run");
      // Callers move to the other instance once the control plane's push reaches them.
      await()
          .atMost(Duration.ofSeconds(15))
          .ignoreExceptions()
          .until(() -> twentyCallsAllAnswer(viaGateway, "orders-stable"));

      Files.delete(record.resolve("gate"));
      await()
          .atMost(Duration.ofSeconds(30))
          .ignoreExceptions()
          .until(() -> callOrders(viaGateway).equals("orders-run"));
      JsonNode back = run.app();
      assertThat(back.path("state").asText()).isEqualTo("serving");
      assertThat(back.path("registered").asBoolean()).isTrue();
      assertThat(back.path("starts").asInt()).isEqualTo(2);
      assertThat(run.adminPage("/stats/prometheus"))
          .contains("firemesh_proxy_app_restarts_total 1\n", "firemesh_proxy_app_registered 1\n");
      assertThat(run.log())
          .contains("app exited pid=" + firstPid + " code=1", "restarting the app in ");

      long secondPid = back.path("pid").asLong();
      assertThat(run.terminate(Duration.ofSeconds(30))).isZero();
      assertThat(ProcessHandle.of(secondPid)).isEmpty();
      assertThat(instances()).doesNotContain("orders-run");
      assertThat(run.log()).contains("stopping the app pid=" + secondPid);
    }
  }

  @Test
  void anAppThatKeepsCrashingIsGivenUpWithANonZeroExit() throws Exception {
    Path record = Files.createDirectories(tmp.resolve("loop"));
    Path starts = record.resolve("starts");
    try (RunProcess run =
        RunProcess.start(
            control.dataDir(),
            tmp.resolve("runs"),
            "reports",
            "reports-loop",
            List.of(
                "--max-restarts",
                "2",
                "--restart-backoff",
                "50ms",
                "--",
                "sh",
                "-c",
                "echo started >> '" + starts + "'; exit 3"))) {
      assertThat(run.awaitExit(Duration.ofSeconds(30))).isEqualTo(1);
      assertThat(Files.readAllLines(starts)).hasSize(3);
      assertThat(run.log())
          .contains("error: gave up on the app after 2 restarts within 5m", "exited with code 3");
    }
  }

  @Test
  void aBatchJobThatExitsZeroEndsRunWithZeroAfterCallingTheMesh() throws Exception {
    Path record = Files.createDirectories(tmp.resolve("batch"));
    List<String> options = new ArrayList<>(List.of("--"));
    options.addAll(RunProcess.supervisedApp("batch", record.toString()));
    try (RunProcess run =
        RunProcess.start(
            control.dataDir(), tmp.resolve("runs"), "reports", "reports-batch", options)) {
      assertThat(run.awaitExit(Duration.ofSeconds(30))).isZero();
      assertThat(Files.readString(record.resolve("batch"))).startsWith("200 orders-");
      assertThat(run.log()).contains("the app finished (exit code 0)");
    }
  }

  @Test
  void killingRunLeavesNoOrphanApp() throws Exception {
    try (RunProcess run =
        RunProcess.start(
            control.dataDir(),
            tmp.resolve("runs"),
            "reports",
            "reports-orphan",
            List.of("--", "sleep", "300"))) {
      await()
          .atMost(Duration.ofSeconds(15))
          .ignoreExceptions()
          .until(() -> run.app().path("pid").asLong() > 0);
      ProcessHandle app = ProcessHandle.of(run.app().path("pid").asLong()).orElseThrow();

      run.kill();

      await().atMost(Duration.ofSeconds(10)).until(() -> !app.isAlive());
    }
  }

  private static String instances() throws Exception {
    AdminClient admin = control.client();
    return admin.get("/v1/instances?service=orders").toString();
  }

  private static void crash(int port) throws Exception {
    try {
      HttpClient.newHttpClient()
          .send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/crash")).build(),
              HttpResponse.BodyHandlers.discarding());
    } catch (java.io.IOException e) {
      // the app may die before its answer is read
    }
  }

  private static String callOrders(HttpClient client) throws Exception {
    return client
        .send(
            HttpRequest.newBuilder(URI.create("http://orders/who"))
                .timeout(Duration.ofSeconds(5))
                .build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }

  private static boolean twentyCallsAllAnswer(HttpClient client, String body) throws Exception {
    for (int i = 0; i < 20; i++) {
      if (!callOrders(client).equals(body)) {
        return false;
      }
    }
    return true;
  }

  private static int freePort() throws Exception {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
