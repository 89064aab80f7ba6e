package dev.firemesh.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.firemesh.chassis.refdata.domain.Instrument;
import dev.firemesh.chassis.refdata.domain.ReferenceSeed;
import dev.firemesh.chassis.refdata.domain.ReferenceSets;
import java.math.BigDecimal;
import java.net.InetSocketAddress;
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
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reference data across processes, through the mesh: an owner and a reader, each a chassis service
 * behind its own sidecar, both registered by themselves. A change made by a command to the owner
 * reaches the reader's replica, and keeps doing so while the control plane is stopped (the sidecars
 * keep their last configuration), without a full reload.
 */
class ChassisReferenceDataMeshTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration PATIENCE = Duration.ofSeconds(60);

  @TempDir Path work;
  private ControlPlaneProcess control;
  private int adminPort;
  private int xdsPort;
  private final List<AutoCloseable> running = new ArrayList<>();
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void startControlPlane() throws Exception {
    adminPort = freePort();
    xdsPort = freePort();
    control = ControlPlaneProcess.startOnPorts(work.resolve("control"), adminPort, xdsPort);
    Path services = work.resolve("services.yaml");
    Files.writeString(
        services,
        """
        apiVersion: firemesh.dev/v1
        kind: Service
        metadata: {name: reference-data}
        spec:
          ports: [{name: http, port: 8080, protocol: http1}]
        ---
        apiVersion: firemesh.dev/v1
        kind: Service
        metadata: {name: desk}
        spec:
          ports: [{name: http, port: 8080, protocol: http1}]
        """);
    Cli.Result applied =
        Cli.run("apply", "-f", services.toString(), "--data-dir", control.dataDir().toString());
    assertThat(applied.exitCode()).as(applied.err()).isZero();
  }

  @AfterEach
  void stop() throws Exception {
    for (AutoCloseable closeable : running.reversed()) {
      closeable.close();
    }
    if (control != null) {
      control.close();
    }
  }

  @Test
  void aCommandToTheOwnerReachesAReplicaInAnotherProcessAlsoWithTheControlPlaneStopped()
      throws Exception {
    Member owner = start("reference-data", "reference-data-1", "owner");
    Member reader = start("desk", "desk-1", "reader");
    Instrument apple =
        ReferenceSeed.instruments().stream()
            .filter(i -> i.isin().value().equals("US0378331005"))
            .findFirst()
            .orElseThrow();
    JsonNode seen = get(reader.appPort(), "/instruments/US0378331005");
    assertThat(seen.path("name").asText()).isEqualTo(apple.name());
    long seeded = get(reader.appPort(), "/replica").path("version").asLong();
    assertThat(seeded).isPositive();

    JsonNode applied = command(reader, apple, "0.05", "tick-1");
    assertThat(applied.path("version").asLong()).isEqualTo(seeded + 1);
    await().atMost(PATIENCE).until(() -> tickSize(reader).compareTo(new BigDecimal("0.05")) == 0);

    control.close();
    control = null;
    command(reader, apple, "0.02", "tick-2");
    await().atMost(PATIENCE).until(() -> tickSize(reader).compareTo(new BigDecimal("0.02")) == 0);

    control = ControlPlaneProcess.startOnPorts(work.resolve("control"), adminPort, xdsPort);
    command(reader, apple, "0.01", "tick-3");
    await().atMost(PATIENCE).until(() -> tickSize(reader).compareTo(new BigDecimal("0.01")) == 0);
    JsonNode replica = get(reader.appPort(), "/replica");
    assertThat(replica.path("version").asLong()).isEqualTo(seeded + 3);
    assertThat(replica.path("reloads").asLong()).as("caught up from the log").isZero();
    assertThat(replica.path("state").asText()).isEqualTo("Live");
    String metrics = getText(reader.appPort(), "/metrics");
    assertThat(metrics)
        .contains("firemesh_chassis_refdata_lag_seconds{owner=\"reference-data\"}")
        .contains("firemesh_chassis_refdata_version{owner=\"reference-data\"} " + (seeded + 3));
    assertThat(owner.app().isAlive()).isTrue();
  }

  /** Upserts {@code instrument} with a new tick size, through the reader's sidecar, by name. */
  private JsonNode command(Member through, Instrument instrument, String tickSize, String id)
      throws Exception {
    ObjectNode record = (ObjectNode) ReferenceSets.INSTRUMENTS.toJson(instrument);
    record.put("tickSize", new BigDecimal(tickSize));
    ObjectNode body = JSON.createObjectNode().put("id", id);
    body.putArray("edits")
        .addObject()
        .put("op", "upsert")
        .put("set", "instruments")
        .set("record", record);
    HttpClient viaSidecar =
        HttpClient.newBuilder().proxy(ProxySelector.of(through.sidecar().outbound())).build();
    HttpResponse<String> answer =
        viaSidecar.send(
            HttpRequest.newBuilder(URI.create("http://reference-data/firemesh/refdata/v1/commands"))
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    return JSON.readTree(answer.body());
  }

  private BigDecimal tickSize(Member reader) throws Exception {
    return get(reader.appPort(), "/instruments/US0378331005").path("tickSize").decimalValue();
  }

  private record Member(SidecarProcess sidecar, Process app, int appPort) {}

  private Member start(String service, String instance, String mode) throws Exception {
    Path dir = work.resolve(instance);
    Files.createDirectories(dir);
    int appPort = freePort();
    SidecarProcess sidecar =
        SidecarProcess.start(
            control.dataDir(),
            dir,
            service,
            instance,
            List.of(
                "--app-port",
                Integer.toString(appPort),
                "--app-registers",
                "--env",
                "prod",
                "--join-token-file",
                Enrolment.token(control, dir, service).toString()));
    running.add(sidecar);
    ChassisProcess.Started app =
        ChassisProcess.start(
            control,
            xdsPort,
            dir,
            service,
            instance,
            RefdataApp.class,
            List.of(mode),
            Map.of(
                "FIREMESH_APP_PORT", Integer.toString(appPort),
                "FIREMESH_INBOUND", address(sidecar.inbound()),
                "FIREMESH_OUTBOUND", address(sidecar.outbound())));
    running.add(() -> ChildProcesses.stop(app.process(), 30));
    return new Member(sidecar, app.process(), appPort);
  }

  private static String address(InetSocketAddress address) {
    return address.getHostString() + ":" + address.getPort();
  }

  private JsonNode get(int port, String path) throws Exception {
    return JSON.readTree(getText(port, path));
  }

  private String getText(int port, String path) throws Exception {
    return http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }

  private static int freePort() throws Exception {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
