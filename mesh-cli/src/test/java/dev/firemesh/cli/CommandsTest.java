package dev.firemesh.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.firemesh.control.ControlPlaneFiles;
import dev.firemesh.control.admin.AdminJson;
import dev.firemesh.control.admin.AdminRequest;
import dev.firemesh.control.admin.AdminServer;
import dev.firemesh.control.admin.AdminTls;
import dev.firemesh.control.admin.AdminToken;
import dev.firemesh.control.admin.ApiException;
import dev.firemesh.control.admin.TestCa;
import dev.firemesh.control.operator.Authenticator;
import dev.firemesh.control.operator.Principal;
import dev.firemesh.control.operator.Role;
import dev.firemesh.identity.CertificateRequestRefused;
import dev.firemesh.identity.CertificateRequests;
import dev.firemesh.identity.Pem;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The commands as a user runs them, against a real admin server on an ephemeral port whose
 * endpoints answer what each test sets (no store behind it). The data directory holds the token and
 * a control.json naming the server, as {@code firemesh control} leaves them.
 */
class CommandsTest {
  private static final ObjectMapper JSON = AdminJson.mapper();

  @TempDir static Path dataDir;
  @TempDir Path tmp;

  private static final TestCa CA = new TestCa("test.local");
  private static AdminServer server;
  private static AdminTls tls;
  private static final Map<String, AdminServer.Handler> answers = new ConcurrentHashMap<>();
  private static final List<AdminRequest> calls = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void startStub() throws IOException {
    AdminToken token = AdminToken.loadOrCreate(dataDir);
    server = new AdminServer(token);
    for (String route :
        List.of(
            "POST /v1/apply",
            "GET /v1/resources/{kind}/{name}",
            "DELETE /v1/resources/{kind}/{name}",
            "GET /v1/diff",
            "POST /v1/rollback",
            "POST /v1/instances",
            "GET /v1/xds/nodes",
            "GET /v1/telemetry/graph",
            "GET /v1/telemetry/traces",
            "GET /v1/telemetry/traces/{id}",
            "GET /v1/canaries",
            "GET /v1/canaries/{name}",
            "GET /v1/config/{service}",
            "GET /v1/config-schemas/{service}",
            "POST /v1/tokens",
            "GET /v1/tokens",
            "DELETE /v1/tokens/{id}",
            "GET /v1/ca",
            "POST /v1/operators",
            "GET /v1/operators",
            "DELETE /v1/operators/{name}",
            "POST /v1/operators/{name}/certificate")) {
      String[] parts = route.split(" ");
      server.route(parts[0], parts[1], request -> answer(route, request));
    }
    tls = CA.adminTls();
    // One operator with a client certificate; the bootstrap token is the other credential.
    Authenticator alice =
        new Authenticator() {
          @Override
          public Optional<Principal.Operator> byToken(String token) {
            return Optional.empty();
          }

          @Override
          public Optional<Principal.Operator> byCertificate(String identity) {
            return identity.equals("spiffe://test.local/operator/alice")
                ? Optional.of(new Principal.Operator("alice", Role.ADMIN))
                : Optional.empty();
          }
        };
    server.bind(new InetSocketAddress("127.0.0.1", 0)).start(tls, alice);
    ControlPlaneFiles.writeTrustBundle(dataDir, Pem.encodeCertificates(CA.trustBundle()));
    Map<String, Object> addresses = new LinkedHashMap<>();
    addresses.put("admin", "https://127.0.0.1:" + server.port());
    addresses.put("pid", ProcessHandle.current().pid());
    ControlPlaneFiles.writeAddresses(dataDir, addresses);
  }

  private static JsonNode answer(String route, AdminRequest request) {
    calls.add(request);
    AdminServer.Handler handler = answers.get(route);
    if (handler == null) {
      throw ApiException.notFound("the stub has no answer for " + route);
    }
    return handler.handle(request);
  }

  @AfterAll
  static void stopStub() {
    server.close();
    tls.close();
  }

  @BeforeEach
  void reset() {
    answers.clear();
    calls.clear();
  }

  private static Cli.Result firemesh(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.add("--data-dir");
    all.add(dataDir.toString());
    return Cli.run(all.toArray(String[]::new));
  }

  private static JsonNode json(String text) {
    try {
      return JSON.readTree(text);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static final String ROUTE_90 =
      """
      {"apiVersion": "firemesh.dev/v1", "kind": "Route", "metadata": {"name": "orders"},
       "spec": {"service": "orders", "rules": [{"destinations": [
         {"subset": "v1", "weight": 90}, {"subset": "v2", "weight": 10}]}]}}
      """;

  private static JsonNode outcome(long revision, boolean dryRun, String changes) {
    return json(
        "{\"revision\": %d, \"dryRun\": %s, \"unchanged\": false, \"time\": \"2026-11-26T12:00:00Z\", \"changes\": %s}"
            .formatted(revision, dryRun, changes));
  }

  @Test
  void tokenCreatePrintsTheTokenAloneOnStdoutAndTheDetailsOnStderr() {
    answers.put(
        "POST /v1/tokens",
        r ->
            json(
                """
                {"id": "0123456789abcdef", "token": "fmjt_0123456789abcdef_c2VjcmV0",
                 "service": "orders", "env": "prod", "expiresAt": "2026-12-01T00:00:00Z",
                 "uses": 2}"""));

    Cli.Result create =
        firemesh(
            "token",
            "create",
            "--service",
            "orders",
            "--env",
            "prod",
            "--ttl",
            "7d",
            "--uses",
            "2");

    assertThat(create.exitCode()).as(create.err()).isZero();
    assertThat(create.out()).isEqualTo("fmjt_0123456789abcdef_c2VjcmV0\n");
    assertThat(create.err())
        .contains("0123456789abcdef", "orders", "prod", "2 uses", "2026-12-01T00:00:00Z");
    JsonNode sent = calls.getFirst().json();
    assertThat(sent.path("ttlSeconds").asLong()).isEqualTo(7 * 86_400);
    assertThat(sent.path("uses").asInt()).isEqualTo(2);
    assertThat(sent.path("service").asText()).isEqualTo("orders");
  }

  @Test
  void tokenCreateRefusesABadTtlBeforeCalling() {
    Cli.Result create =
        firemesh("token", "create", "--service", "orders", "--env", "prod", "--ttl", "soon");

    assertThat(create.exitCode()).isEqualTo(2);
    assertThat(create.err()).contains("--ttl: expected a duration");
    assertThat(calls).isEmpty();
  }

  @Test
  void tokenListAndRevoke() {
    answers.put(
        "GET /v1/tokens",
        r ->
            json(
                """
                {"items": [{"id": "0123456789abcdef", "service": "orders", "env": "prod",
                  "state": "active", "expiresAt": "2026-12-01T00:00:00Z", "uses": 1, "maxUses": 3,
                  "createdBy": "admin", "createdAt": "2026-11-30T00:00:00Z"}]}"""));
    answers.put(
        "DELETE /v1/tokens/{id}",
        r -> json("{\"id\": \"" + r.param("id") + "\", \"state\": \"revoked\"}"));

    Cli.Result list = firemesh("token", "list");
    Cli.Result revoke = firemesh("token", "revoke", "0123456789abcdef");

    assertThat(list.out()).contains("ID", "STATE", "0123456789abcdef", "active", "1/3");
    assertThat(revoke.exitCode()).isZero();
    assertThat(revoke.out()).isEqualTo("join token 0123456789abcdef revoked\n");
  }

  @Test
  void caStatusExitsFourWhenAWarningStands() {
    String ca =
        """
        {"trustDomain": "firemesh.local", "svidTtlSeconds": 3600, "warnings": %d, "items": [
          {"role": "root", "state": "active", "subject": "CN=FireMesh Root CA", "serial": "1",
           "fingerprint": "%s", "notBefore": "2026-01-01T00:00:00Z",
           "notAfter": "2036-01-01T00:00:00Z", "daysLeft": 3300, "warnings": []},
          {"role": "intermediate", "state": "active", "subject": "CN=FireMesh Intermediate CA",
           "serial": "2", "fingerprint": "%s", "notBefore": "2026-01-01T00:00:00Z",
           "notAfter": "2027-01-01T00:00:00Z", "daysLeft": 20, "warnings": %s}]}""";
    answers.put("GET /v1/ca", r -> json(ca.formatted(0, "ab".repeat(32), "cd".repeat(32), "[]")));
    Cli.Result quiet = firemesh("ca", "status");
    answers.put(
        "GET /v1/ca",
        r -> json(ca.formatted(1, "ab".repeat(32), "cd".repeat(32), "[\"expires in 20 days\"]")));
    Cli.Result warned = firemesh("ca", "status");

    assertThat(quiet.exitCode()).as(quiet.err()).isZero();
    assertThat(quiet.out())
        .contains("trust domain firemesh.local", "SVIDs valid 60 min", "abababababababab", "3300");
    assertThat(warned.exitCode()).isEqualTo(4);
    assertThat(warned.out()).contains("expires in 20 days");
  }

  @Test
  void applySendsEveryYamlFileOfADirectoryAndSaysTheRevision() throws IOException {
    Files.createDirectories(tmp.resolve("mesh/nested"));
    Files.writeString(tmp.resolve("mesh/route.yaml"), "kind: Route\n");
    Files.writeString(tmp.resolve("mesh/nested/service.yml"), "kind: Service\n");
    Files.writeString(tmp.resolve("mesh/notes.txt"), "not sent");
    answers.put(
        "POST /v1/apply",
        r ->
            outcome(
                3, false, "[{\"kind\": \"Route\", \"name\": \"orders\", \"op\": \"created\"}]"));

    Cli.Result apply = firemesh("apply", "-f", tmp.resolve("mesh").toString(), "-m", "canary");
    assertThat(apply.exitCode()).as(apply.err()).isZero();
    assertThat(apply.out().lines())
        .containsExactly("created Route/orders", "applied as revision 3");

    JsonNode sent = calls.getFirst().json();
    assertThat(sent.path("message").asText()).isEqualTo("canary");
    assertThat(sent.path("files").findValuesAsText("name"))
        .containsExactly(
            tmp.resolve("mesh/nested/service.yml").toString(),
            tmp.resolve("mesh/route.yaml").toString());
    assertThat(calls.getFirst().actor()).isEqualTo("operator:bootstrap-admin");
  }

  @Test
  void applyReadsStandardInput() {
    answers.put("POST /v1/apply", r -> outcome(4, false, "[]"));
    Cli.Result apply =
        Cli.runWithStdin("kind: Route\n", "apply", "-f", "-", "--data-dir", dataDir.toString());
    assertThat(apply.exitCode()).as(apply.err()).isZero();
    JsonNode file = calls.getFirst().json().path("files").get(0);
    assertThat(file.path("name").asText()).isEqualTo("<stdin>");
    assertThat(file.path("content").asText()).isEqualTo("kind: Route\n");
  }

  @Test
  void aDryRunShowsEachChangeAsADiffWithRemovalsFirst() {
    JsonNode before = json(ROUTE_90);
    ObjectNode after = before.deepCopy();
    ((ObjectNode) after.at("/spec/rules/0/destinations/0")).put("weight", 50);
    ((ObjectNode) after.at("/spec/rules/0/destinations/1")).put("weight", 50);
    answers.put(
        "POST /v1/apply",
        r -> {
          assertThat(r.flag("dryRun")).isTrue();
          ObjectNode change =
              JSON.createObjectNode()
                  .put("kind", "Route")
                  .put("name", "orders")
                  .put("op", "updated");
          change.set("before", before);
          change.set("after", after);
          ObjectNode answer = (ObjectNode) outcome(2, true, "[]");
          answer.putArray("changes").add(change);
          return answer;
        });
    Path file = writeQuietly(tmp.resolve("route.yaml"), "kind: Route\n");
    Cli.Result dry = firemesh("apply", "-f", file.toString(), "--dry-run");
    assertThat(dry.exitCode()).as(dry.err()).isZero();
    List<String> lines = dry.out().lines().toList();
    assertThat(lines.getFirst()).isEqualTo("updated Route/orders");
    assertThat(lines.get(1)).startsWith("    @@ -");
    int removed = indexOf(lines, "    -      weight: 90");
    int added = indexOf(lines, "    +      weight: 50");
    assertThat(removed).as(dry.out()).isPositive().isLessThan(added);
    assertThat(indexOf(lines, "    -      weight: 10"))
        .as(dry.out())
        .isPositive()
        .isLessThan(indexOf(lines, "    +      weight: 50", added + 1));
    assertThat(lines.getLast()).isEqualTo("dry run: nothing applied");
  }

  private static int indexOf(List<String> lines, String line) {
    return indexOf(lines, line, 0);
  }

  private static int indexOf(List<String> lines, String line, int from) {
    for (int i = from; i < lines.size(); i++) {
      if (lines.get(i).equals(line)) {
        return i;
      }
    }
    return -1;
  }

  private static Path writeQuietly(Path file, String content) {
    try {
      return Files.writeString(file, content);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void yamlOutputIsYamlOnEveryCommandThatOffersIt() {
    answers.put("POST /v1/apply", r -> outcome(5, false, "[]"));
    answers.put(
        "DELETE /v1/resources/{kind}/{name}",
        r -> outcome(6, false, "[{\"kind\": \"Config\", \"name\": \"x\", \"op\": \"deleted\"}]"));
    answers.put("POST /v1/rollback", r -> outcome(7, false, "[]"));
    answers.put("GET /v1/diff", r -> json("{\"from\": 1, \"to\": 2, \"changes\": []}"));
    answers.put(
        "POST /v1/instances",
        r ->
            json(
                "{\"service\": \"orders\", \"instanceId\": \"o-1\", \"address\": \"127.0.0.1\","
                    + " \"port\": 9001, \"labels\": {}, \"expiresAt\": \"2026-11-26T12:00:30Z\"}"));
    Path file = writeQuietly(tmp.resolve("r.yaml"), "kind: Route\n");
    Map<List<String>, String> expected = new LinkedHashMap<>();
    expected.put(List.of("apply", "-f", file.toString()), "revision: 5");
    expected.put(List.of("delete", "config", "x"), "revision: 6");
    expected.put(List.of("rollback", "1"), "revision: 7");
    expected.put(List.of("diff", "1", "2"), "from: 1");
    expected.put(
        List.of("register", "--service", "orders", "--id", "o-1", "--port", "9001"),
        "instanceId: o-1");
    expected.forEach(
        (args, line) -> {
          List<String> withFormat = new ArrayList<>(args);
          withFormat.addAll(List.of("-o", "yaml"));
          Cli.Result result = firemesh(withFormat.toArray(String[]::new));
          assertThat(result.exitCode()).as(args + ": " + result.err()).isZero();
          assertThat(result.out().lines()).as(args.toString()).contains(line);
          assertThat(result.out()).as(args.toString()).doesNotContain("\"");
        });
    Cli.Result json =
        firemesh("register", "--service", "orders", "--id", "o-1", "--port", "9001", "-o", "json");
    assertThat(json(json.out()).path("instanceId").asText()).isEqualTo("o-1");
  }

  @Test
  void deleteNamesTheKindAsTheControlPlaneSpellsIt() {
    answers.put(
        "DELETE /v1/resources/{kind}/{name}",
        r ->
            outcome(
                4,
                false,
                "[{\"kind\": \"Config\", \"name\": \"orders-dev\", \"op\": \"deleted\"}]"));
    Cli.Result delete = firemesh("delete", "configs", "orders-dev");
    assertThat(delete.exitCode()).as(delete.err()).isZero();
    assertThat(delete.out().strip()).isEqualTo("deleted Config/orders-dev as revision 4");
    assertThat(calls.getFirst().param("kind")).isEqualTo("configs");
  }

  @Test
  void problemsPrintOnlyThePartsTheyHave() {
    answers.put(
        "POST /v1/apply",
        r -> {
          ObjectNode detail = JSON.createObjectNode();
          var problems = detail.putArray("problems");
          problems.add(problem("bad.yaml", 3, 1, "", "invalid YAML: expected ','"));
          problems.add(problem("bad.yaml", 10, 7, "spec.rules[0].timeot", "unknown field"));
          problems.add(problem("", 0, 0, "", "cannot delete Service/orders: Route/orders uses it"));
          throw new ApiException(422, "invalid", "3 problem(s); nothing was applied", detail);
        });
    Cli.Result refused =
        firemesh("apply", "-f", writeQuietly(tmp.resolve("bad.yaml"), "x").toString());
    assertThat(refused.exitCode()).isEqualTo(1);
    assertThat(refused.err().lines())
        .containsExactly(
            "error: 3 problem(s); nothing was applied",
            "  bad.yaml:3:1: invalid YAML: expected ','",
            "  bad.yaml:10:7: spec.rules[0].timeot: unknown field",
            "  cannot delete Service/orders: Route/orders uses it");
  }

  private static ObjectNode problem(
      String file, int line, int column, String field, String message) {
    return JSON.createObjectNode()
        .put("file", file)
        .put("line", line)
        .put("column", column)
        .put("field", field)
        .put("message", message);
  }

  @Test
  void configDecimalsComeBackExactlyAsStored() {
    // What the control plane holds: ResourceCodec's canonical JSON keeps 50000000.00 as written.
    String canonical =
        """
        {"apiVersion": "firemesh.dev/v1", "kind": "Config", "metadata": {"name": "orders-prod"},
         "spec": {"service": "orders", "environment": "prod",
                  "values": {"maxOrderNotional": 5000000.00, "fee": 0.10, "maxOrderQuantity": 100000}}}
        """;
    answers.put(
        "GET /v1/resources/{kind}/{name}",
        r -> {
          ObjectNode item =
              JSON.createObjectNode()
                  .put("kind", "Config")
                  .put("name", "orders-prod")
                  .put("revision", 1);
          item.set("resource", json(canonical));
          return item;
        });
    Cli.Result yaml = firemesh("get", "config", "orders-prod", "-o", "yaml");
    assertThat(yaml.exitCode()).as(yaml.err()).isZero();
    assertThat(yaml.out())
        .contains("    maxOrderNotional: 5000000.00\n")
        .contains("    fee: 0.10\n")
        .contains("    maxOrderQuantity: 100000\n");
    Cli.Result json = firemesh("get", "config", "orders-prod", "-o", "json");
    assertThat(json.out()).contains("\"maxOrderNotional\" : 5000000.00").doesNotContain("E6");
  }

  @Test
  void nodesSayWhetherEachIsConnected() {
    answers.put(
        "GET /v1/xds/nodes",
        r ->
            json(
                """
                {"items": [
                  {"nodeId": "pricing-1", "connected": true, "connectedSince": "2026-11-26T12:00:43Z",
                   "identity": "spiffe://td/env/prod/svc/pricing", "adminAddress": "127.0.0.1:15000",
                   "types": [{"type": "listener", "sent": "abc", "acked": "abc", "inSync": true}]},
                  {"nodeId": "old-2", "connected": false, "connectedSince": "2026-11-26T11:00:00Z",
                   "types": [{"type": "cluster", "sent": "d7", "acked": "", "inSync": false,
                              "nack": "refused"}]}]}
                """));
    Cli.Result nodes = firemesh("nodes");
    assertThat(nodes.exitCode()).as(nodes.err()).isZero();
    assertThat(nodes.out().lines())
        .containsExactly(
            "NODE       CONNECTED  CONNECTED AT (UTC)    IDENTITY                          ADMIN  "
                + "          TYPE      SENT  ACKED  LAST NACK",
            "pricing-1  yes        2026-11-26T12:00:43Z  spiffe://td/env/prod/svc/pricing  "
                + "127.0.0.1:15000  listener  abc   abc",
            "old-2      no         2026-11-26T11:00:00Z  -                                 -  "
                + "              cluster   d7           refused");
  }

  @Test
  void graphShowsServicesAndCallsWithTheirFigures() {
    answers.put(
        "GET /v1/telemetry/graph",
        r ->
            json(
                """
                {"window": "1m", "at": "2026-11-27T06:00:00Z",
                 "nodes": [{"service": "orders", "instances": 2, "healthy": 1, "rps": 12.345,
                            "errorRate": 0.0125, "p50Ms": 1.5, "p99Ms": 42.2},
                           {"service": "risk", "instances": 1, "healthy": 1}],
                 "edges": [{"source": "orders", "destination": "risk", "rps": 6,
                            "errorRate": 0, "p50Ms": 0.75, "p99Ms": 3.25}]}
                """));
    Cli.Result graph = firemesh("graph", "--window", "5m");
    assertThat(graph.exitCode()).as(graph.err()).isZero();
    assertThat(calls.getLast().query()).containsEntry("window", "5m");
    assertThat(graph.out().lines())
        .containsExactly(
            "SERVICE  HEALTHY  REQ/S  ERRORS  P50     P99",
            "orders   1/2      12.3   1.25%   1.50ms  42.2ms",
            "risk     1/1      -      -       -       -",
            "",
            "CALL            REQ/S  ERRORS  P50     P99",
            "orders -> risk  6.0    0.00%   0.75ms  3.25ms",
            "",
            "window 1m at 2026-11-27T06:00:00Z");
    Cli.Result wrong = firemesh("graph", "--window", "2m");
    assertThat(wrong.exitCode()).isEqualTo(2);
    assertThat(wrong.err()).contains("--window must be 10s, 1m or 5m, not '2m'");
  }

  @Test
  void tracesSearchesWithTheFiltersGivenAndShowsOneTraceAsAWaterfall() {
    answers.put(
        "GET /v1/telemetry/traces",
        r ->
            json(
                """
                {"traces": [{"traceId": "4bf92f3577b34da6a3ce929d0e0e4736",
                  "start": "2026-11-27T06:00:00.000100Z", "durationMs": 12.5, "spanCount": 3,
                  "error": true, "rootService": "gateway", "rootName": "POST /orders",
                  "services": ["gateway", "orders"]}]}
                """));
    Cli.Result list =
        firemesh("traces", "--service", "orders", "--status", "error", "--min-duration", "1s");
    assertThat(list.exitCode()).as(list.err()).isZero();
    assertThat(calls.getLast().query())
        .containsEntry("service", "orders")
        .containsEntry("status", "error")
        .containsEntry("minDurationMs", "1000");
    assertThat(list.out().lines())
        .containsExactly(
            "TRACE                             START (UTC)                  DURATION  STATUS"
                + "  SPANS  ROOT                  SERVICES",
            "4bf92f3577b34da6a3ce929d0e0e4736  2026-11-27T06:00:00.000100Z  12.5ms    error "
                + "  3      gateway POST /orders  gateway,orders");

    answers.put(
        "GET /v1/telemetry/traces/{id}",
        r ->
            json(
                """
                {"traceId": "4bf92f3577b34da6a3ce929d0e0e4736",
                 "slowestSpanId": "b", "failingSpanId": "c",
                 "spans": [
                  {"spanId": "c", "parentSpanId": "b", "service": "orders", "name": "POST /orders",
                   "kind": "SERVER", "start": "2026-11-27T06:00:00.005Z", "durationMs": 5,
                   "status": "error"},
                  {"spanId": "a", "service": "gateway", "name": "POST /orders", "kind": "SERVER",
                   "start": "2026-11-27T06:00:00Z", "durationMs": 10, "status": "error"},
                  {"spanId": "b", "parentSpanId": "a", "service": "gateway",
                   "name": "POST /orders", "kind": "CLIENT", "start": "2026-11-27T06:00:00.001Z",
                   "durationMs": 9, "status": "error"}]}
                """));
    Cli.Result one = firemesh("traces", "4bf92f3577b34da6a3ce929d0e0e4736");
    assertThat(one.exitCode()).as(one.err()).isZero();
    assertThat(one.out().lines())
        .containsExactly(
            "trace 4bf92f3577b34da6a3ce929d0e0e4736",
            "SPAN              SERVICE  KIND    STATUS  DURATION  TIMELINE  "
                + "                                MARK",
            "POST /orders      gateway  server  error   10.0ms    " + "#".repeat(40),
            "  POST /orders    gateway  client  error   9.00ms    "
                + "    "
                + "#".repeat(36)
                + "  slowest",
            "    POST /orders  orders   server  error   5.00ms    "
                + " ".repeat(20)
                + "#".repeat(20)
                + "  failing");
    Cli.Result bad = firemesh("traces", "--min-duration", "soon");
    assertThat(bad.exitCode()).isEqualTo(2);
    assertThat(bad.err()).contains("--min-duration must be a duration like 250ms or 2s");
  }

  @Test
  void canaryStatusShowsStateWeightsAndTheFiguresOfEachDecision() {
    String rolledBack =
        """
        {"name": "orders-v2", "service": "orders", "route": "orders", "rule": "canary-split",
         "stable": "v1", "canary": "v2", "stepInterval": "30s", "steps": [5, 25],
         "state": "failed", "step": 1, "totalSteps": 2, "weights": {"v1": 100, "v2": 0},
         "reason": "rolled back at step 1/2: canary error rate 30.00% is above maxErrorRate 1%",
         "lastDecision": {"seq": 2, "at": "2026-11-26T12:01:00Z", "step": 1, "weight": 0,
           "decision": "roll-back", "reason": "canary error rate 30.00% is above maxErrorRate 1%",
           "canary": {"requests": 100, "errors": 30, "errorRate": 30.0, "p99Millis": 4.5},
           "stable": {"requests": 1900, "errors": 0, "errorRate": 0.0, "p99Millis": 2.25},
           "revision": 8},
         "decisions": [
           {"seq": 1, "at": "2026-11-26T12:00:30Z", "step": 1, "weight": 5, "decision": "start",
            "reason": "started: v2 at 5%, v1 at 95%",
            "canary": {"requests": 0, "errors": 0, "errorRate": 0.0},
            "stable": {"requests": 0, "errors": 0, "errorRate": 0.0}, "revision": 7},
           {"seq": 2, "at": "2026-11-26T12:01:00Z", "step": 1, "weight": 0,
            "decision": "roll-back", "reason": "canary error rate 30.00% is above maxErrorRate 1%",
            "canary": {"requests": 100, "errors": 30, "errorRate": 30.0, "p99Millis": 4.5},
            "stable": {"requests": 1900, "errors": 0, "errorRate": 0.0, "p99Millis": 2.25},
            "revision": 8}]}
        """;
    answers.put("GET /v1/canaries", r -> json("{\"items\": [" + rolledBack + "]}"));
    answers.put("GET /v1/canaries/{name}", r -> json(rolledBack));

    Cli.Result all = firemesh("canary", "status");
    Cli.Result one = firemesh("canary", "status", "orders-v2");

    assertThat(all.exitCode()).as(all.err()).isZero();
    assertThat(all.out().lines())
        .containsExactly(
            "NAME       STATE   STEP  WEIGHTS          LAST DECISION  FIGURES"
                + "                                                         REASON",
            "orders-v2  failed  1/2   v1 100% / v2 0%  roll-back      canary 30.00% of 100 p99"
                + " 4.5ms; stable 0.00% of 1900 p99 2.3ms  rolled back at step 1/2: canary error"
                + " rate 30.00% is above maxErrorRate 1%");
    assertThat(one.exitCode()).as(one.err()).isZero();
    assertThat(one.out())
        .contains("orders-v2  orders   orders/canary-split  failed  1/2   v1 100% / v2 0%")
        .contains("2026-11-26T12:00:30Z  1     5%      start      -")
        .contains("roll-back  canary 30.00% of 100 p99 4.5ms; stable 0.00% of 1900 p99 2.3ms  8");
  }

  @Test
  void configGetShowsEachLeafItsValueAndSourceAndWhatIsMissing() {
    answers.put(
        "GET /v1/config/{service}",
        r ->
            json(
                """
                {"service": "orders", "environment": "prod", "region": "", "instance": "orders-1",
                 "revision": 9, "schemaPublished": true,
                 "values": {"limits": {"maxNotional": 5000000.00, "timeout": "250ms"}},
                 "sources": {},
                 "leaves": [
                   {"path": "limits.maxNotional", "source": "Config/orders-prod",
                    "value": 5000000.00},
                   {"path": "limits.timeout", "source": "default", "value": "250ms"}],
                 "missing": ["apiKey"]}
                """));

    Cli.Result get =
        firemesh("config", "get", "--service", "orders", "--env", "prod", "--instance", "orders-1");

    assertThat(get.exitCode()).as(get.err()).isZero();
    assertThat(calls.getFirst().query())
        .containsEntry("env", "prod")
        .containsEntry("instance", "orders-1");
    assertThat(get.out().lines())
        .containsExactly(
            "PATH                VALUE                                  SOURCE",
            "limits.maxNotional  5000000.00                             Config/orders-prod",
            "limits.timeout      250ms                                  default",
            "apiKey              (missing: required, no layer sets it)  -");
  }

  @Test
  void configSchemaShowsEachFieldWithItsConstraints() {
    answers.put(
        "GET /v1/config-schemas/{service}",
        r ->
            json(
                """
                {"service": "orders", "digest": "ab12", "publishedAt": "2026-11-27T09:00:00Z",
                 "publishedBy": "workload:spiffe://firemesh.local/env/prod/svc/orders",
                 "schema": {"service": "orders", "root": {"type": "object", "required": false,
                   "fields": {"maxQuantity": {"type": "integer", "required": false, "default": 100,
                                              "min": 1, "max": 1000000},
                              "mode": {"type": "enum", "required": true,
                                       "values": ["LIVE", "PAPER"]}}}}}
                """));

    Cli.Result schema = firemesh("config", "schema", "--service", "orders");

    assertThat(schema.exitCode()).as(schema.err()).isZero();
    assertThat(schema.out())
        .contains("by workload:spiffe://firemesh.local/env/prod/svc/orders")
        .contains("maxQuantity  integer  no        100      min 1, max 1000000")
        .contains("mode         enum     yes       -        one of LIVE|PAPER");
  }

  @Test
  void aMissingFileIsBadInputAndNothingIsSent() {
    Path missing = tmp.resolve("nope.yaml");
    Cli.Result apply = firemesh("apply", "-f", missing.toString());
    assertThat(apply.exitCode()).isEqualTo(2);
    assertThat(apply.err().strip()).isEqualTo("error: cannot read " + missing + ": no such file");
    assertThat(calls).isEmpty();
  }

  @Test
  void aBadTtlIsBadInput() {
    Cli.Result register =
        firemesh("register", "--service", "s", "--id", "i", "--port", "1", "--ttl", "10");
    assertThat(register.exitCode()).isEqualTo(2);
    assertThat(register.err()).contains("--ttl: expected a duration");
  }

  @Test
  void aMissingTokenFileIsBadInput() {
    Path empty = tmp.resolve("nowhere");
    Cli.Result get = Cli.run("get", "all", "--data-dir", empty.toString());
    assertThat(get.exitCode()).isEqualTo(2);
    assertThat(get.err().strip())
        .isEqualTo(
            "error: cannot read the admin token "
                + empty.resolve("admin.token")
                + ": no such file; start `firemesh control --data-dir "
                + empty
                + "` first, or pass --data-dir, --token-file or --client-cert");

    Cli.Result version = Cli.run("version", "--data-dir", empty.toString());
    assertThat(version.exitCode()).isZero();
    assertThat(version.out()).contains("control plane: unknown (cannot read the admin token");
  }

  @Test
  void aWrongTokenIsARefusal() throws IOException {
    Path wrong = Files.writeString(tmp.resolve("wrong.token"), "fm_wrong\n");
    Cli.Result get = firemesh("get", "route", "orders", "--token-file", wrong.toString());
    assertThat(get.exitCode()).isEqualTo(1);
    assertThat(get.err()).contains("wrong, revoked or expired bearer token");
  }

  @Test
  void noAnswerIsUnreachable() throws IOException {
    Cli.Result get =
        firemesh("get", "route", "orders", "--server", "https://127.0.0.1:" + closedPort());
    assertThat(get.exitCode()).isEqualTo(3);
    assertThat(get.err()).contains("cannot reach the control plane at https://127.0.0.1:");
  }

  @Test
  void aControlJsonLeftByAProcessThatIsGoneSaysSo() throws Exception {
    Path dir = tmp.resolve("stale");
    Files.createDirectories(dir);
    Files.copy(dataDir.resolve(ControlPlaneFiles.TOKEN), dir.resolve(ControlPlaneFiles.TOKEN));
    Files.copy(
        dataDir.resolve(ControlPlaneFiles.TRUST_BUNDLE),
        dir.resolve(ControlPlaneFiles.TRUST_BUNDLE));
    Process gone = new ProcessBuilder("true").start();
    gone.waitFor();
    Map<String, Object> addresses = new LinkedHashMap<>();
    addresses.put("admin", "https://127.0.0.1:" + closedPort());
    addresses.put("pid", gone.pid());
    ControlPlaneFiles.writeAddresses(dir, addresses);

    Cli.Result get = Cli.run("get", "all", "--data-dir", dir.toString());
    assertThat(get.exitCode()).isEqualTo(3);
    assertThat(get.err())
        .contains("cannot reach the control plane")
        .contains("names process " + gone.pid() + ", which is not running");
  }

  @Test
  void aBundleThatDoesNotHoldTheMeshRootsCannotConnect() throws IOException {
    Path other =
        Files.writeString(
            tmp.resolve("other.pem"),
            Pem.encodeCertificates(new TestCa("test.local").trustBundle()));
    Cli.Result get = firemesh("get", "route", "orders", "--ca-bundle", other.toString());
    assertThat(get.exitCode()).isEqualTo(3);
    assertThat(get.err()).contains("TLS with the control plane at https://127.0.0.1:");
    assertThat(calls).isEmpty();

    Cli.Result missing =
        firemesh("get", "route", "orders", "--ca-bundle", tmp.resolve("nope.pem").toString());
    assertThat(missing.exitCode()).isEqualTo(2);
    assertThat(missing.err()).contains("nope.pem").contains("no such file");
  }

  @Test
  void operatorCreatePrintsTheTokenAloneAndSendsNameRoleAndTtl() {
    answers.put(
        "POST /v1/operators",
        r ->
            json(
                "{\"name\": \"bob\", \"role\": \"operator\", \"token\": \"fmop_0123456789abcdef_s3cret\","
                    + " \"expiresAt\": \"2026-12-27T00:00:00Z\"}"));
    Cli.Result create =
        firemesh("operator", "create", "--name", "bob", "--role", "operator", "--ttl", "30d");
    assertThat(create.exitCode()).as(create.err()).isZero();
    assertThat(create.out()).isEqualTo("fmop_0123456789abcdef_s3cret\n");
    assertThat(create.err()).contains("operator bob with role operator");
    JsonNode sent = calls.getFirst().json();
    assertThat(sent.path("name").asText()).isEqualTo("bob");
    assertThat(sent.path("role").asText()).isEqualTo("operator");
    assertThat(sent.path("ttlSeconds").asLong()).isEqualTo(30L * 24 * 3600);
  }

  @Test
  void operatorCertificateKeepsTheKeyHereAndTheCertificateAuthenticates() throws Exception {
    answers.put(
        "POST /v1/operators/{name}/certificate",
        r -> {
          PublicKey key;
          try {
            key =
                CertificateRequests.readKey(
                    Pem.decodeCertificateRequest(r.json().path("csr").asText()));
          } catch (CertificateRequestRefused e) {
            throw new IllegalArgumentException(e.getMessage());
          }
          String identity = "spiffe://test.local/operator/" + r.param("name");
          List<X509Certificate> chain =
              CA.sign(
                  (issuer, now) ->
                      issuer.issueClientCertificate(key, identity, now, Duration.ofHours(1)));
          return JSON.createObjectNode()
              .put("identity", identity)
              .put("certificateChain", Pem.encodeCertificates(chain))
              .put("trustBundle", Pem.encodeCertificates(CA.trustBundle()))
              .put("notAfter", chain.getFirst().getNotAfter().toInstant().toString());
        });
    Path out = tmp.resolve("alice");
    Cli.Result issued =
        firemesh("operator", "certificate", "--name", "alice", "--out", out.toString());
    assertThat(issued.exitCode()).as(issued.err()).isZero();
    assertThat(issued.out()).startsWith("certificate for spiffe://test.local/operator/alice until");
    assertThat(Files.getPosixFilePermissions(out.resolve("key.pem")))
        .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
    // Only a request went out: no private key in what the control plane saw.
    assertThat(new String(calls.getFirst().body(), StandardCharsets.UTF_8))
        .contains("CERTIFICATE REQUEST")
        .doesNotContain("PRIVATE KEY");

    answers.put("GET /v1/resources/{kind}/{name}", r -> json("{\"kind\": \"Route\"}"));
    calls.clear();
    Cli.Result get =
        Cli.run(
            "get",
            "route",
            "orders",
            "-o",
            "json",
            "--server",
            "https://127.0.0.1:" + server.port(),
            "--ca-bundle",
            out.resolve("trust-bundle.pem").toString(),
            "--client-cert",
            out.resolve("cert.pem").toString(),
            "--client-key",
            out.resolve("key.pem").toString());
    assertThat(get.exitCode()).as(get.err()).isZero();
    assertThat(calls.getFirst().actor()).isEqualTo("operator:alice");

    Cli.Result again =
        firemesh("operator", "certificate", "--name", "alice", "--out", out.toString());
    assertThat(again.exitCode()).isEqualTo(2);
    assertThat(again.err()).contains("key.pem exists");
  }

  private static int closedPort() throws IOException {
    try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return probe.getLocalPort();
    }
  }
}
