package dev.firemesh.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Chassis services as processes of their own against a real control plane process: they enrol,
 * register, take their {@code Config} live over RTDS, keep it while the control plane is away, and
 * leave discovery when stopped.
 */
class ChassisMeshTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration PATIENCE = Duration.ofSeconds(60);

  @TempDir Path work;
  private ControlPlaneProcess control;
  private int adminPort;
  private int xdsPort;
  private final List<Process> apps = new ArrayList<>();
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void startControlPlane() throws Exception {
    adminPort = freePort();
    xdsPort = freePort();
    control = ControlPlaneProcess.startOnPorts(work.resolve("control"), adminPort, xdsPort);
    apply(
        "sample.yaml",
        """
        apiVersion: firemesh.dev/v1
        kind: Service
        metadata: {name: sample}
        spec:
          ports: [{name: http, port: 8080, protocol: http1}]
        ---
        apiVersion: firemesh.dev/v1
        kind: Config
        metadata: {name: sample-prod}
        spec:
          service: sample
          environment: prod
          values:
            maxOrderQuantity: 500
            greeting: hello from prod
        """);
  }

  @AfterEach
  void stop() {
    apps.forEach(app -> ChildProcesses.stop(app, 20));
    if (control != null) {
      control.close();
    }
  }

  @Test
  void aConfigChangeReachesEveryInstanceOnceAndABadOneIsRefusedAtApply() throws Exception {
    int first = startApp("sample-1");
    int second = startApp("sample-2");
    for (int port : new int[] {first, second}) {
      JsonNode config = config(port);
      assertThat(config.path("value").path("maxOrderQuantity").asLong()).isEqualTo(500);
      assertThat(config.path("value").path("greeting").asText()).isEqualTo("hello from prod");
      assertThat(config.path("value").path("killSwitch").asBoolean()).as("a default").isFalse();
      assertThat(config.path("maxOrderQuantitySource").asText()).contains("sample-prod");
      assertThat(config.path("origin").asText()).isEqualTo("CONTROL_PLANE");
    }
    // A sampled request's server span reaches the control plane's trace store (OTLP, the SVID).
    String trace = "5ad1a0e0c0ffee0000000000000000" + "42";
    http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + first + "/config"))
            .header("traceparent", "00-" + trace + "-00f067aa0ba902b7-01")
            .build(),
        HttpResponse.BodyHandlers.ofString());
    await()
        .atMost(PATIENCE)
        .until(
            () -> {
              try {
                return control.client().get("/v1/telemetry/traces/" + trace).toString();
              } catch (RuntimeException notYet) {
                return "";
              }
            },
            body -> body.contains("\"sample\"") && body.contains("/config"));
    String instances = control.client().get("/v1/instances?service=sample").toString();
    assertThat(instances)
        .contains("sample-1", "sample-2", "spiffe://firemesh.local/env/prod/svc/sample");

    applyConfig("maxOrderQuantity: 750", "greeting: hello from prod");
    for (int port : new int[] {first, second}) {
      await()
          .atMost(PATIENCE)
          .until(() -> config(port).path("value").path("maxOrderQuantity").asLong() == 750);
      assertThat(config(port).path("changes").asInt()).as("the listener fired once").isEqualTo(1);
    }

    Path bad = work.resolve("bad.yaml");
    Files.writeString(bad, config("maxOrderQuantity: 0", "greeting: hello from prod"));
    Cli.Result refused = firemesh("apply", "-f", bad.toString());
    assertThat(refused.exitCode()).isNotZero();
    assertThat(refused.err()).contains("bad.yaml:8").contains("maxOrderQuantity");
    Thread.sleep(1_000); // what a wrongly accepted change would need to arrive
    assertThat(config(first).path("value").path("maxOrderQuantity").asLong()).isEqualTo(750);
    assertThat(config(first).path("changes").asInt()).isEqualTo(1);
  }

  @Test
  void aServiceKeepsItsConfigWhileTheControlPlaneIsAwayAndCatchesUpWhenItReturns()
      throws Exception {
    int port = startApp("sample-1");
    assertThat(config(port).path("value").path("maxOrderQuantity").asLong()).isEqualTo(500);

    control.close();
    control = null;
    await()
        .atMost(PATIENCE)
        .until(
            () ->
                get(port, "/health")
                    .path("components")
                    .path("config")
                    .path("state")
                    .asText()
                    .equals("DEGRADED"));
    assertThat(config(port).path("value").path("maxOrderQuantity").asLong()).isEqualTo(500);
    assertThat(get(port, "/health/ready").path("ready").asBoolean()).isTrue();

    control = ControlPlaneProcess.startOnPorts(work.resolve("control"), adminPort, xdsPort);
    applyConfig("maxOrderQuantity: 900");
    await()
        .atMost(PATIENCE)
        .until(() -> config(port).path("value").path("maxOrderQuantity").asLong() == 900);
    assertThat(config(port).path("value").path("greeting").asText())
        .as("a key no layer sets any more falls back to its default")
        .isEqualTo("hello");
  }

  @Test
  void sigtermTakesTheInstanceOutOfDiscoveryAndExitsZero() throws Exception {
    startApp("sample-1");
    assertThat(control.client().get("/v1/instances?service=sample").toString())
        .contains("sample-1");
    Process app = apps.getFirst();

    new ProcessBuilder("kill", "-TERM", Long.toString(app.pid())).start().waitFor();

    assertThat(app.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(app.exitValue()).isZero();
    assertThat(control.client().get("/v1/instances?service=sample").toString())
        .doesNotContain("sample-1");
  }

  private int startApp(String instance) throws Exception {
    ChassisProcess.Started app =
        ChassisProcess.start(
            control,
            xdsPort,
            work.resolve(instance),
            "sample",
            instance,
            ChassisApp.class,
            List.of(),
            Map.of());
    apps.add(app.process());
    return app.port();
  }

  /** The sample service's prod Config with these values, one {@code key: value} a line. */
  private static String config(String... values) {
    StringBuilder yaml =
        new StringBuilder(
            """
            apiVersion: firemesh.dev/v1
            kind: Config
            metadata: {name: sample-prod}
            spec:
              service: sample
              environment: prod
              values:
            """);
    for (String value : values) {
      yaml.append("    ").append(value).append('\n');
    }
    return yaml.toString();
  }

  private void applyConfig(String... values) throws Exception {
    apply("sample-prod.yaml", config(values));
  }

  private void apply(String name, String yaml) throws Exception {
    Path file = work.resolve(name);
    Files.writeString(file, yaml);
    Cli.Result applied = firemesh("apply", "-f", file.toString());
    assertThat(applied.exitCode()).as(applied.err()).isZero();
  }

  private Cli.Result firemesh(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--data-dir", control.dataDir().toString()));
    return Cli.run(all.toArray(String[]::new));
  }

  private JsonNode config(int port) throws Exception {
    return get(port, "/config");
  }

  private JsonNode get(int port, String path) throws Exception {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
            HttpResponse.BodyHandlers.ofString());
    return JSON.readTree(response.body());
  }

  private static int freePort() throws Exception {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
