package dev.firemesh.control.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.firemesh.api.identity.SpiffeId;
import dev.firemesh.control.ControlPlane;
import dev.firemesh.control.ControlPlaneFiles;
import dev.firemesh.control.ca.CertificateAuthority;
import dev.firemesh.identity.CertificateRequests;
import dev.firemesh.identity.KeyPairs;
import dev.firemesh.identity.Pem;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Operators, roles and principals against a real control plane (embedded PostgreSQL, HTTPS on
 * loopback): what each role may do, that revisions record who was authenticated, and what a
 * workload's certificate allows.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class OperatorAccessTest {
  private static final ObjectMapper JSON = AdminJson.mapper();
  private static final String SERVICE_YAML =
      """
      apiVersion: firemesh.dev/v1
      kind: Service
      metadata:
        name: %s
      spec:
        ports:
          - {name: http, port: 8080, protocol: http1}
      """;

  @TempDir static Path dataDir;
  static ControlPlane plane;
  static HttpClient http;
  static String bootstrap;

  record Reply(int status, JsonNode body) {}

  @BeforeAll
  static void start() {
    plane = ControlPlane.start(ControlPlane.Options.defaults(dataDir).withPorts(0, 0));
    bootstrap = plane.adminToken();
    http = client(null);
  }

  @AfterAll
  static void stop() {
    plane.close();
  }

  /** Trusts the roots the control plane wrote to its data directory, as the CLI does. */
  private static HttpClient client(TestCa.Credential credential) {
    try {
      List<X509Certificate> roots =
          Pem.decodeCertificates(Files.readString(dataDir.resolve(ControlPlaneFiles.TRUST_BUNDLE)));
      return HttpClient.newBuilder().sslContext(TestCa.context(roots, credential)).build();
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Reply call(
      HttpClient client, String token, String method, String path, JsonNode body) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(plane.adminUrl() + path))
            .header("X-FireMesh-Actor", "mallory")
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body.toString()));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    HttpResponse<String> response =
        client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    boolean json = response.body().startsWith("{");
    return new Reply(
        response.statusCode(),
        json
            ? JSON.readTree(response.body())
            : JSON.createObjectNode().put("text", response.body()));
  }

  private static Reply call(String token, String method, String path, JsonNode body)
      throws Exception {
    return call(http, token, method, path, body);
  }

  private static String createOperator(String name, String role) throws Exception {
    Reply created =
        call(
            bootstrap,
            "POST",
            "/v1/operators",
            JSON.createObjectNode().put("name", name).put("role", role));
    assertThat(created.status()).as(created.body().toString()).isEqualTo(200);
    assertThat(created.body().path("createdBy").asText()).isEqualTo("operator:bootstrap-admin");
    return created.body().path("token").asText();
  }

  private static ObjectNode apply(String service) {
    ObjectNode body = JSON.createObjectNode();
    body.putArray("files")
        .addObject()
        .put("name", service + ".yaml")
        .put("content", SERVICE_YAML.formatted(service));
    return body;
  }

  @Test
  void theControlPlaneServesHttpsAndWritesItsTrustBundle() throws Exception {
    assertThat(plane.adminUrl()).startsWith("https://127.0.0.1:");
    JsonNode addresses =
        JSON.readTree(Files.readString(dataDir.resolve(ControlPlaneFiles.ADDRESSES)));
    assertThat(addresses.path("admin").asText()).isEqualTo(plane.adminUrl());
    assertThat(
            Pem.decodeCertificates(
                Files.readString(
                    dataDir.resolve(ControlPlaneFiles.TRUST_BUNDLE), StandardCharsets.US_ASCII)))
        .isEqualTo(plane.certificateAuthority().trustBundle());
    assertThat(call(bootstrap, "GET", "/v1/version", null).status()).isEqualTo(200);
  }

  @Test
  void eachRoleDoesWhatItMayAndRevisionsRecordThePrincipal() throws Exception {
    String viewer = createOperator("vera", "viewer");
    String operator = createOperator("otto", "operator");

    assertThat(call(viewer, "GET", "/v1/resources", null).status()).isEqualTo(200);
    assertThat(call(viewer, "GET", "/metrics", null).status()).isEqualTo(200);
    Reply viewerApplies = call(viewer, "POST", "/v1/apply", apply("pricing"));
    assertThat(viewerApplies.status()).isEqualTo(403);
    assertThat(viewerApplies.body().path("message").asText())
        .isEqualTo("POST /v1/apply needs role operator; operator:vera has role viewer");

    Reply applied = call(operator, "POST", "/v1/apply", apply("pricing"));
    assertThat(applied.status()).as(applied.body().toString()).isEqualTo(200);
    long revision = applied.body().path("revision").asLong();
    JsonNode recorded = call(viewer, "GET", "/v1/revisions/" + revision, null).body();
    // The header said "mallory": the revision says who authenticated.
    assertThat(recorded.path("actor").asText()).isEqualTo("operator:otto");

    Reply operatorMakesToken =
        call(
            operator,
            "POST",
            "/v1/tokens",
            JSON.createObjectNode().put("service", "pricing").put("env", "prod"));
    assertThat(operatorMakesToken.status()).isEqualTo(403);
    assertThat(operatorMakesToken.body().path("message").asText())
        .isEqualTo("POST /v1/tokens needs role admin; operator:otto has role operator");
    assertThat(call(operator, "GET", "/v1/operators", null).status()).isEqualTo(403);
    assertThat(call(operator, "GET", "/v1/ca", null).status()).isEqualTo(403);

    Reply adminToken =
        call(
            bootstrap,
            "POST",
            "/v1/tokens",
            JSON.createObjectNode().put("service", "pricing").put("env", "prod"));
    assertThat(adminToken.status()).isEqualTo(200);
    JsonNode tokens = call(bootstrap, "GET", "/v1/tokens", null).body();
    assertThat(tokens.path("items").get(0).path("createdBy").asText())
        .isEqualTo("operator:bootstrap-admin");

    Reply deleted = call(bootstrap, "DELETE", "/v1/resources/service/pricing", null);
    assertThat(deleted.status()).isEqualTo(200);
    assertThat(
            call(bootstrap, "GET", "/v1/revisions?limit=1", null)
                .body()
                .path("items")
                .get(0)
                .path("actor")
                .asText())
        .isEqualTo("operator:bootstrap-admin");
  }

  @Test
  void aRevokedOperatorIsUnauthenticatedAndItsNameIsNotReused() throws Exception {
    String token = createOperator("rita", "operator");
    assertThat(call(token, "GET", "/v1/version", null).status()).isEqualTo(200);

    Reply revoked = call(bootstrap, "DELETE", "/v1/operators/rita", null);
    assertThat(revoked.status()).isEqualTo(200);
    assertThat(revoked.body().path("revokedBy").asText()).isEqualTo("operator:bootstrap-admin");
    Reply after = call(token, "GET", "/v1/version", null);
    assertThat(after.status()).isEqualTo(401);
    assertThat(after.body().path("error").asText()).isEqualTo("unauthenticated");

    Reply again =
        call(
            bootstrap,
            "POST",
            "/v1/operators",
            JSON.createObjectNode().put("name", "rita").put("role", "viewer"));
    assertThat(again.status()).isEqualTo(409);
    JsonNode listed = call(bootstrap, "GET", "/v1/operators", null).body();
    // The secret is all after the "fmop_" prefix (itself base64url, so it may hold '_' too).
    assertThat(listed.toString()).doesNotContain(token.substring(token.indexOf('_') + 1));
    assertThat(listed.findValues("name").stream().map(JsonNode::asText)).contains("rita");

    Reply badRole =
        call(
            bootstrap,
            "POST",
            "/v1/operators",
            JSON.createObjectNode().put("name", "sam").put("role", "root"));
    assertThat(badRole.status()).isEqualTo(400);
    assertThat(badRole.body().path("message").asText())
        .isEqualTo("role must be one of viewer, operator, admin, got 'root'");
  }

  @Test
  void anOperatorCertificateFromTheMeshCaAuthenticatesUntilRevoked() throws Exception {
    createOperator("cora", "operator");
    KeyPair keys = KeyPairs.generate();
    Reply issued =
        call(
            bootstrap,
            "POST",
            "/v1/operators/cora/certificate",
            JSON.createObjectNode()
                .put("csr", Pem.encodeCertificateRequest(CertificateRequests.createForKey(keys))));
    assertThat(issued.status()).as(issued.body().toString()).isEqualTo(200);
    String identity = "spiffe://firemesh.local/operator/cora";
    assertThat(issued.body().path("identity").asText()).isEqualTo(identity);
    // Not a workload identity: a certificate for it can never pass as an SVID.
    assertThat(SpiffeId.parse(identity)).isEmpty();
    List<X509Certificate> chain =
        Pem.decodeCertificates(issued.body().path("certificateChain").asText());
    HttpClient cora = client(new TestCa.Credential(keys, chain));

    Reply applied = call(cora, null, "POST", "/v1/apply", apply("quotes"));
    assertThat(applied.status()).as(applied.body().toString()).isEqualTo(200);
    JsonNode revision =
        call(bootstrap, "GET", "/v1/revisions/" + applied.body().path("revision").asLong(), null)
            .body();
    assertThat(revision.path("actor").asText()).isEqualTo("operator:cora");

    call(bootstrap, "DELETE", "/v1/operators/cora", null);
    assertThat(call(cora, null, "GET", "/v1/version", null).status()).isEqualTo(401);
    Reply noMore =
        call(
            bootstrap,
            "POST",
            "/v1/operators/cora/certificate",
            JSON.createObjectNode()
                .put("csr", Pem.encodeCertificateRequest(CertificateRequests.createForKey(keys))));
    assertThat(noMore.status()).isEqualTo(404);
  }

  @Test
  void aWorkloadRegistersOnlyItsOwnServiceWithItsCertificatesIdentity() throws Exception {
    SpiffeId orders = new SpiffeId("firemesh.local", "prod", "orders");
    KeyPair keys = KeyPairs.generate();
    CertificateAuthority.IssuedSvid svid =
        plane.certificateAuthority().issue(keys.getPublic(), orders);
    HttpClient workload = client(new TestCa.Credential(keys, svid.chain()));

    ObjectNode registration =
        JSON.createObjectNode()
            .put("service", "orders")
            .put("instanceId", "orders-1")
            .put("address", "127.0.0.1")
            .put("port", 9001);
    registration
        .putObject("labels")
        .put("identity", "spiffe://firemesh.local/env/prod/svc/risk")
        .put("env", "dev")
        .put("version", "v1");
    Reply registered = call(workload, null, "POST", "/v1/instances", registration);
    assertThat(registered.status()).as(registered.body().toString()).isEqualTo(200);
    JsonNode labels = registered.body().path("labels");
    assertThat(labels.path("identity").asText()).isEqualTo(orders.toString());
    assertThat(labels.path("env").asText()).isEqualTo("prod");
    assertThat(labels.path("version").asText()).isEqualTo("v1");
    assertThat(call(workload, null, "PUT", "/v1/instances/orders/orders-1/lease", null).status())
        .isEqualTo(200);

    Reply other =
        call(workload, null, "POST", "/v1/instances", registration.put("service", "risk"));
    assertThat(other.status()).isEqualTo(403);
    assertThat(other.body().path("message").asText())
        .isEqualTo(
            "workload:spiffe://firemesh.local/env/prod/svc/orders may register instances of"
                + " service orders only, not of 'risk'");
    assertThat(call(workload, null, "GET", "/v1/instances", null).status()).isEqualTo(403);
    assertThat(call(workload, null, "POST", "/v1/apply", apply("orders")).status()).isEqualTo(403);

    // The same service in another environment cannot take over or remove this instance.
    KeyPair devKeys = KeyPairs.generate();
    HttpClient dev =
        client(
            new TestCa.Credential(
                devKeys,
                plane
                    .certificateAuthority()
                    .issue(devKeys.getPublic(), new SpiffeId("firemesh.local", "dev", "orders"))
                    .chain()));
    assertThat(call(dev, null, "DELETE", "/v1/instances/orders/orders-1", null).status())
        .isEqualTo(403);
    assertThat(call(workload, null, "DELETE", "/v1/instances/orders/orders-1", null).status())
        .isEqualTo(200);
  }
}
