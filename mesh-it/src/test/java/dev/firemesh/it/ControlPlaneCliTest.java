package dev.firemesh.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operator's path, as a user walks it: a real control plane process on a fresh data directory,
 * driven by the {@code firemesh} commands.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ControlPlaneCliTest {
  private static final Path EXAMPLE = Path.of("..", "examples", "trading", "mesh");
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path tmp;
  static ControlPlaneProcess control;
  static String dataDir;

  @BeforeAll
  static void startControlPlane() throws Exception {
    control = ControlPlaneProcess.start(tmp.resolve("data"));
    dataDir = control.dataDir().toString();
  }

  @AfterAll
  static void stop() throws Exception {
    if (control != null) {
      control.close();
    }
  }

  private static Cli.Result firemesh(String... args) {
    String[] withDir = new String[args.length + 2];
    System.arraycopy(args, 0, withDir, 0, args.length);
    withDir[args.length] = "--data-dir";
    withDir[args.length + 1] = dataDir;
    return Cli.run(withDir);
  }

  @Test
  @Order(1)
  void adminTokenIsPrivateAndUnauthenticatedCallsAreRefused() throws Exception {
    Path token = control.dataDir().resolve("admin.token");
    assertThat(Files.getPosixFilePermissions(token).toString())
        .isEqualTo("[OWNER_READ, OWNER_WRITE]");

    HttpClient http = control.https();
    URI resources = control.adminUrl().resolve("/v1/resources");
    assertThat(resources.getScheme()).isEqualTo("https");
    HttpResponse<String> anonymous =
        http.send(HttpRequest.newBuilder(resources).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(anonymous.statusCode()).isEqualTo(401);
    assertThat(JSON.readTree(anonymous.body()).path("error").asText()).isEqualTo("unauthenticated");

    HttpResponse<String> wrongToken =
        http.send(
            HttpRequest.newBuilder(resources).header("Authorization", "Bearer fm_wrong").build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(wrongToken.statusCode()).isEqualTo(401);

    HttpResponse<String> apply =
        http.send(
            HttpRequest.newBuilder(control.adminUrl().resolve("/v1/apply"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"files\":[]}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(apply.statusCode()).isEqualTo(401);

    // Plaintext to the admin port gets no HTTP answer.
    try (Socket plain = new Socket(InetAddress.getLoopbackAddress(), resources.getPort())) {
      plain.setSoTimeout(10_000);
      plain
          .getOutputStream()
          .write(
              "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
                  .getBytes(StandardCharsets.US_ASCII));
      byte[] answer;
      try {
        answer = plain.getInputStream().readAllBytes();
      } catch (SocketException reset) {
        answer = new byte[0];
      }
      assertThat(new String(answer, StandardCharsets.ISO_8859_1)).doesNotContain("HTTP/1.");
    }
    // A client trusting only the JDK's public roots does not trust the mesh's certificate.
    try (HttpClient publicRoots = HttpClient.newHttpClient()) {
      assertThatThrownBy(
              () ->
                  publicRoots.send(
                      HttpRequest.newBuilder(resources).build(),
                      HttpResponse.BodyHandlers.ofString()))
          .isInstanceOf(SSLHandshakeException.class);
    }
  }

  @Test
  @Order(2)
  void dryRunShowsChangesAndAppliesNothing() {
    Cli.Result dry = firemesh("apply", "-f", EXAMPLE.toString(), "--dry-run");
    assertThat(dry.exitCode()).as(dry.err()).isZero();
    assertThat(dry.out()).contains("created Service/orders").contains("dry run: nothing applied");
    assertThat(firemesh("history").out()).doesNotContain("sample");
    assertThat(firemesh("get", "all", "-o", "json").out().strip()).isEqualTo("[ ]");
  }

  @Test
  @Order(3)
  void applyTheExampleThenGetItBack() throws Exception {
    Cli.Result apply = firemesh("apply", "-f", EXAMPLE.toString(), "-m", "sample trading mesh");
    assertThat(apply.exitCode()).as(apply.err()).isZero();
    assertThat(apply.out()).contains("applied as revision 1");

    Cli.Result again = firemesh("apply", "-f", EXAMPLE.toString());
    assertThat(again.out()).contains("unchanged");

    Cli.Result table = firemesh("get", "services");
    assertThat(table.out()).contains("orders").contains("market-data").contains("REVISION");

    Cli.Result yaml = firemesh("get", "route", "orders", "-o", "yaml");
    assertThat(yaml.exitCode()).isZero();
    assertThat(yaml.out()).contains("apiVersion: firemesh.dev/v1").contains("kind: Route");

    JsonNode json = JSON.readTree(firemesh("get", "service", "orders", "-o", "json").out());
    assertThat(json.path("resource").path("metadata").path("name").asText()).isEqualTo("orders");

    Cli.Result missing = firemesh("get", "route", "no-such-route");
    assertThat(missing.exitCode()).isEqualTo(1);
    assertThat(missing.err()).contains("Route/no-such-route does not exist");

    Cli.Result badKind = firemesh("get", "gizmo");
    assertThat(badKind.exitCode()).isEqualTo(1);
    assertThat(badKind.err()).contains("unknown kind \"gizmo\"");
  }

  @Test
  @Order(4)
  void malformedFileIsRefusedWholeNamingLineAndField() throws Exception {
    Path bad = tmp.resolve("bad.yaml");
    Files.writeString(
        bad,
        """
        apiVersion: firemesh.dev/v1
        kind: Service
        metadata:
          name: pricing
        spec:
          ports:
            - name: http
              port: 8080
              protocol: http1
        ---
        apiVersion: firemesh.dev/v1
        kind: Route
        metadata:
          name: pricing
        spec:
          service: pricing
          rules:
            - destinations:
                - subset: v1
                  weight: ninety
        """);
    long headBefore = head();
    Cli.Result refused = firemesh("apply", "-f", bad.toString());
    assertThat(refused.exitCode()).isEqualTo(1);
    assertThat(refused.err())
        .contains("nothing was applied")
        .contains(bad + ":20:")
        .contains("spec.rules[0].destinations[0].weight");
    assertThat(head()).isEqualTo(headBefore);
    assertThat(firemesh("get", "service", "pricing").exitCode()).isEqualTo(1);
  }

  @Test
  @Order(5)
  void historyDiffAndRollback() throws Exception {
    Path canary = tmp.resolve("orders-canary.yaml");
    String route = Files.readString(EXAMPLE.resolve(findFileWith("kind: Route", "name: orders")));
    assertThat(route).contains("weight: 90");
    Files.writeString(
        canary, route.replace("weight: 90", "weight: 50").replace("weight: 10", "weight: 50"));
    Cli.Result apply = firemesh("apply", "-f", canary.toString(), "-m", "canary 50/50");
    assertThat(apply.exitCode()).as(apply.err()).isZero();
    long shifted = head();

    Cli.Result history = firemesh("history");
    assertThat(history.out()).contains("canary 50/50").contains("sample trading mesh");

    Cli.Result diff = firemesh("diff", "1", Long.toString(shifted));
    assertThat(diff.out()).contains("updated Route/orders").contains("-").contains("+");
    assertThat(diff.out()).containsPattern("\\+\\s+weight: 50");

    Cli.Result rollback = firemesh("rollback", "1");
    assertThat(rollback.exitCode()).as(rollback.err()).isZero();
    assertThat(rollback.out()).contains("rolled back to revision 1 as revision " + (shifted + 1));
    assertThat(firemesh("get", "route", "orders", "-o", "yaml").out()).contains("weight: 90");
    assertThat(firemesh("diff", "1").out()).contains("no changes");
  }

  @Test
  @Order(6)
  void deletingAServiceStillRoutedToIsRefused() {
    Cli.Result refused = firemesh("delete", "service", "orders");
    assertThat(refused.exitCode()).isEqualTo(1);
    assertThat(refused.err()).contains("orders");
    assertThat(firemesh("get", "service", "orders").exitCode()).isZero();
  }

  @Test
  @Order(7)
  void registeredInstancesAreListed() {
    Cli.Result register =
        firemesh(
            "register",
            "--service",
            "orders",
            "--id",
            "orders-7",
            "--port",
            "9007",
            "-l",
            "version=v2",
            "--ttl",
            "60s");
    assertThat(register.exitCode()).as(register.err()).isZero();
    Cli.Result list = firemesh("instances", "orders");
    assertThat(list.out()).contains("orders-7").contains("127.0.0.1:9007").contains("version=v2");
    Cli.Result bad = firemesh("register", "--service", "orders", "--id", "x", "--port", "0");
    assertThat(bad.exitCode()).isEqualTo(1);
    assertThat(bad.err()).contains("port");
  }

  @Test
  @Order(8)
  void aLapsedLeaseLeavesDiscovery() {
    Cli.Result register =
        firemesh(
            "register", "--service", "risk", "--id", "risk-short", "--port", "9010", "--ttl", "1s");
    assertThat(register.exitCode()).as(register.err()).isZero();
    assertThat(firemesh("instances", "risk").out()).contains("risk-short");
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> !firemesh("instances", "risk").out().contains("risk-short"));
  }

  @Test
  @Order(9)
  void helpAndVersionWork() {
    Cli.Result help = Cli.run("apply", "--help");
    assertThat(help.exitCode()).isZero();
    assertThat(help.out()).contains("Examples:").contains("--dry-run");
    Cli.Result version = firemesh("version");
    assertThat(version.out()).contains("firemesh CLI").contains("control plane");
    Cli.Result unknown = Cli.run("frobnicate");
    assertThat(unknown.exitCode()).isEqualTo(2);
  }

  @Test
  @Order(10)
  void operatorsHaveRolesAndHistoryNamesWhoChangedWhat() throws Exception {
    Cli.Result vera = firemesh("operator", "create", "--name", "vera", "--role", "viewer");
    assertThat(vera.exitCode()).as(vera.err()).isZero();
    Path veraToken = Files.writeString(tmp.resolve("vera.token"), vera.out());
    Cli.Result otto = firemesh("operator", "create", "--name", "otto", "--role", "operator");
    Path ottoToken = Files.writeString(tmp.resolve("otto.token"), otto.out());

    assertThat(firemesh("get", "services", "--token-file", veraToken.toString()).exitCode())
        .isZero();
    Path probe =
        Files.writeString(
            tmp.resolve("probe.yaml"),
            """
            apiVersion: firemesh.dev/v1
            kind: Service
            metadata:
              name: audit-probe
            spec:
              ports:
                - {name: http, port: 8080, protocol: http1}
            """);
    Cli.Result viewerApplies =
        firemesh("apply", "-f", probe.toString(), "--token-file", veraToken.toString());
    assertThat(viewerApplies.exitCode()).isEqualTo(1);
    assertThat(viewerApplies.err())
        .contains("POST /v1/apply needs role operator; operator:vera has role viewer");

    Cli.Result ottoApplies =
        firemesh(
            "apply", "-f", probe.toString(), "-m", "probe", "--token-file", ottoToken.toString());
    assertThat(ottoApplies.exitCode()).as(ottoApplies.err()).isZero();
    JsonNode newest = control.client().get("/v1/revisions?limit=1").path("items").get(0);
    assertThat(newest.path("message").asText()).isEqualTo("probe");
    assertThat(newest.path("actor").asText()).isEqualTo("operator:otto");
    assertThat(firemesh("history").out()).contains("operator:otto");

    Cli.Result ottoMakesToken =
        firemesh(
            "token",
            "create",
            "--service",
            "orders",
            "--env",
            "prod",
            "--token-file",
            ottoToken.toString());
    assertThat(ottoMakesToken.exitCode()).isEqualTo(1);
    assertThat(ottoMakesToken.err()).contains("needs role admin; operator:otto has role operator");

    // A client certificate instead of a token: the key never leaves this side.
    Path veraCert = tmp.resolve("vera-cert");
    Cli.Result issued =
        firemesh("operator", "certificate", "--name", "vera", "--out", veraCert.toString());
    assertThat(issued.exitCode()).as(issued.err()).isZero();
    Cli.Result byCertificate =
        firemesh(
            "get",
            "services",
            "--client-cert",
            veraCert.resolve("cert.pem").toString(),
            "--client-key",
            veraCert.resolve("key.pem").toString());
    assertThat(byCertificate.exitCode()).as(byCertificate.err()).isZero();
    assertThat(byCertificate.out()).contains("audit-probe");

    assertThat(firemesh("operator", "revoke", "otto").exitCode()).isZero();
    Cli.Result revoked = firemesh("get", "services", "--token-file", ottoToken.toString());
    assertThat(revoked.exitCode()).isEqualTo(1);
    assertThat(revoked.err()).contains("wrong, revoked or expired bearer token");
    Cli.Result list = firemesh("operator", "list");
    assertThat(list.out()).contains("otto").contains("revoked").contains("vera");
  }

  private long head() throws Exception {
    return control.client().get("/v1/version").path("revision").asLong();
  }

  private static String findFileWith(String... needles) throws Exception {
    try (var files = Files.list(EXAMPLE)) {
      for (Path f : files.sorted().toList()) {
        String text = Files.readString(f);
        boolean all = true;
        for (String n : needles) {
          all &= text.contains(n);
        }
        if (all) {
          return f.getFileName().toString();
        }
      }
    }
    throw new AssertionError("no example file contains " + String.join(", ", needles));
  }
}
