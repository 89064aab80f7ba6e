package dev.firemesh.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.InputStream;
import java.net.ProxySelector;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Zero trust with real processes: sidecars enrolled with operators' join tokens get certificates
 * for their SPIFFE identities and call each other over mTLS; a service in strict mode refuses a
 * sidecar without an identity and a plaintext client; the app learns its caller from the verified
 * certificate; a join token works once, for one identity.
 */
class MutualTlsMeshTest {
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
      kind: Service
      metadata: {name: risk}
      spec:
        ports: [{name: http, port: 8080, protocol: http1}]
      ---
      apiVersion: firemesh.dev/v1
      kind: MutualTls
      metadata: {name: orders-strict}
      spec: {service: orders, mode: strict}
      """;

  // One control plane for the class: each test brings sidecars and apps of its own (in its own
  // directory), with tokens of its own, and stops them before the next.
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
  void enrolledSidecarsSpeakMtlsAndAStrictServiceRefusesEveryoneElse() throws Exception {
    try (Closer resources = new Closer()) {

      LocalApp ordersApp = resources.add(LocalApp.start("orders"));
      LocalApp gatewayApp = resources.add(LocalApp.start("gateway"));
      Path work = tmp.resolve("sidecars");
      List<SidecarProcess> sidecars =
          resources
              .add(new Fleet())
              .startTogether(
                  List.of(
                      () ->
                          Enrolment.sidecar(control, work, "orders", "orders-1", ordersApp.port()),
                      () ->
                          Enrolment.sidecar(
                              control, work, "gateway", "gateway-1", gatewayApp.port())));
      SidecarProcess orders = sidecars.get(0);
      SidecarProcess gateway = sidecars.get(1);

      HttpClient fromGateway = client(gateway);
      await()
          .atMost(Duration.ofSeconds(30))
          .ignoreExceptions()
          .until(() -> get(fromGateway, "/whoami").statusCode() == 200);
      HttpResponse<String> who = get(fromGateway, "/whoami");
      assertThat(who.body())
          .as("the caller, from gateway's verified certificate")
          .isEqualTo("gateway");

      // The instance is registered with its identity, which callers' sidecars insist on.
      assertThat(
              Cli.run("instances", "--data-dir", control.dataDir().toString(), "-o", "json").out())
          .contains("spiffe://firemesh.local/env/prod/svc/orders");

      // Every sidecar has an identity now (the control plane serves xDS to no one else), so what
      // is left to refuse is a plaintext client that goes straight to the inbound port.
      try (Socket socket = new Socket(orders.inbound().getAddress(), orders.inbound().getPort())) {
        socket.setSoTimeout(10_000);
        socket
            .getOutputStream()
            .write(
                "GET /whoami HTTP/1.1\r\nHost: orders\r\nx-firemesh-caller: gateway\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
        InputStream in = socket.getInputStream();
        assertThat(readSome(in))
            .as("no HTTP answer, the connection is closed")
            .doesNotContain("200");
      }

      String stats = admin(orders, "/stats/prometheus");
      assertThat(stats)
          .containsPattern(
              "firemesh_proxy_tls_handshakes_total\\{side=\"inbound\",result=\"ok\"\\} [1-9]")
          .as("the raw socket's plaintext")
          .containsPattern(
              "firemesh_proxy_tls_handshakes_total\\{side=\"inbound\",result=\"plaintext\"\\}"
                  + " [1-9]");
      assertThat(admin(orders, "/config_dump"))
          .contains("spiffe://firemesh.local/env/prod/svc/orders")
          .doesNotContain("PRIVATE KEY");
    }
  }

  @Test
  void aJoinTokenWorksOnceAndOnlyForItsIdentity() throws Exception {
    try (Closer resources = new Closer()) {
      LocalApp app = resources.add(LocalApp.start("orders"));
      Path work = tmp.resolve("sidecars");
      Path token = Enrolment.token(control, work, "orders");

      // orders' token presented by a sidecar that says it is risk: refused, and not spent.
      Refusal wrongIdentity = proxy(control, work, "risk", token, app.port());
      assertThat(wrongIdentity.exitCode()).isNotZero();
      assertThat(wrongIdentity.output()).contains("spiffe://firemesh.local/env/prod/svc/risk");

      resources.add(
          SidecarProcess.start(
              control.dataDir(),
              work,
              "orders",
              "orders-1",
              List.of(
                  "--app-port",
                  Integer.toString(app.port()),
                  "--env",
                  "prod",
                  "--join-token-file",
                  token.toString())));

      Refusal reused = proxy(control, work, "orders", token, app.port());
      assertThat(reused.exitCode()).isNotZero();
      assertThat(reused.output()).contains("used up");
    }
  }

  /** What became of a {@code firemesh proxy} whose start must fail before it serves. */
  private record Refusal(int exitCode, String output) {}

  private static Refusal proxy(
      ControlPlaneProcess control, Path work, String service, Path token, int appPort)
      throws Exception {
    Path log = work.resolve(service + "-refused-" + System.nanoTime() + ".log");
    Process process =
        new ProcessBuilder(
                ChildProcesses.firemesh(
                    "128m",
                    "proxy",
                    "--data-dir",
                    control.dataDir().toString(),
                    "--service",
                    service,
                    "--env",
                    "prod",
                    "--join-token-file",
                    token.toString(),
                    "--app-port",
                    Integer.toString(appPort),
                    "--outbound-port",
                    "0",
                    "--inbound-port",
                    "0",
                    "--admin-port",
                    "0"))
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    try {
      assertThat(process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS))
          .as("a refused sidecar exits")
          .isTrue();
      return new Refusal(process.exitValue(), Files.readString(log));
    } finally {
      process.destroyForcibly();
    }
  }

  private static String readSome(InputStream in) {
    try {
      byte[] buffer = new byte[256];
      int n = in.read(buffer);
      return n < 0 ? "" : new String(buffer, 0, n, StandardCharsets.ISO_8859_1);
    } catch (java.io.IOException e) {
      return ""; // reset: refused as well
    }
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

  private static HttpResponse<String> get(HttpClient client, String path) throws Exception {
    return client.send(
        HttpRequest.newBuilder(URI.create("http://orders" + path))
            .timeout(Duration.ofSeconds(10))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
