package dev.firemesh.control.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.firemesh.api.identity.SpiffeId;
import dev.firemesh.api.validation.InvalidResourceException;
import dev.firemesh.api.validation.Problem;
import dev.firemesh.api.validation.SourcePosition;
import dev.firemesh.control.operator.Authenticator;
import dev.firemesh.control.operator.Principal;
import dev.firemesh.control.operator.Role;
import dev.firemesh.identity.CertificateIssuer;
import dev.firemesh.identity.KeyPairs;
import dev.firemesh.store.resource.ConcurrentChangeException;
import dev.firemesh.store.resource.RevisionNotFoundException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The admin server as a client sees it: a real HTTPS server on an ephemeral loopback port with a
 * throwaway CA, stub handlers and stub operators (no store behind it).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class AdminServerTest {
  private static final ObjectMapper JSON = AdminJson.mapper();
  private static final int SMALL_LIMIT = 1024;

  @TempDir Path dataDir;

  private static final TestCa CA = new TestCa("test.local");
  private static final Authenticator OPERATORS =
      new Authenticator() {
        @Override
        public Optional<Principal.Operator> byToken(String token) {
          return switch (token) {
            case "fmop_viewer" -> Optional.of(new Principal.Operator("vera", Role.VIEWER));
            case "fmop_operator" -> Optional.of(new Principal.Operator("otto", Role.OPERATOR));
            default -> Optional.empty();
          };
        }

        @Override
        public Optional<Principal.Operator> byCertificate(String identity) {
          return identity.equals("spiffe://test.local/operator/cora")
              ? Optional.of(new Principal.Operator("cora", Role.OPERATOR))
              : Optional.empty();
        }
      };

  private AdminToken token;
  private AdminTls tls;
  private AdminServer server;
  private AdminServer small;
  private final HttpClient http = CA.client();
  private final AtomicReference<AdminRequest> seen = new AtomicReference<>();

  record Reply(int status, JsonNode body, HttpResponse<String> raw) {}

  @BeforeEach
  void start() throws IOException {
    token = AdminToken.loadOrCreate(dataDir);
    tls = CA.adminTls();
    server = stubbed(new AdminServer(token));
    small = stubbed(new AdminServer(token, SMALL_LIMIT));
  }

  private AdminServer stubbed(AdminServer s) throws IOException {
    AdminApi.declareRefusals(s);
    s.route("GET", "/v1/things/{kind}/{name}", this::echo)
        .route("DELETE", "/v1/things/{kind}/{name}", this::echo)
        .route("GET", "/v1/things", this::echo)
        .route("POST", "/v1/things", r -> JSON.createObjectNode().set("got", r.json()))
        .route("GET", "/v1/refused", r -> throw422())
        .route(
            "GET",
            "/v1/conflict",
            r -> {
              throw new ConcurrentChangeException(3, 4);
            })
        .route(
            "GET",
            "/v1/no-revision",
            r -> {
              throw new RevisionNotFoundException(0, 4);
            })
        .route(
            "GET",
            "/v1/teapot",
            r -> {
              throw new ApiException(418, "teapot", "short and stout", JSON.createObjectNode());
            })
        .route(
            "GET",
            "/v1/broken",
            r -> {
              throw new IllegalStateException("a bug");
            })
        .route("GET", "/v1/decimals", r -> read("{\"notional\":50000000.00,\"rate\":0.10}"))
        .route("POST", "/v1/open", AdminServer.Access.OPEN, this::echoHeader)
        .route("GET", "/v1/view", AdminServer.Access.VIEWER, this::echo)
        .route("POST", "/v1/change", AdminServer.Access.OPERATOR, this::echo)
        .route("POST", "/v1/register", AdminServer.Access.OPERATOR_OR_WORKLOAD, this::echo)
        .textRoute(
            "GET",
            "/v1/open-text",
            AdminServer.Access.OPEN,
            r -> new AdminServer.Text("text/plain", "plain words"));
    return s.bind(new InetSocketAddress("127.0.0.1", 0)).start(tls, OPERATORS);
  }

  private JsonNode echo(AdminRequest request) {
    seen.set(request);
    var answer = JSON.createObjectNode().put("method", request.method());
    answer.putPOJO("params", request.pathParams());
    answer.putPOJO("query", request.query());
    return answer;
  }

  private JsonNode echoHeader(AdminRequest request) {
    seen.set(request);
    return JSON.createObjectNode()
        .put("authorization", request.header("authorization").orElse("none"));
  }

  private static JsonNode throw422() {
    throw new InvalidResourceException(
        List.of(
            new Problem(new SourcePosition("bad.yaml", 3, 1), "", "invalid YAML: oops"),
            new Problem(SourcePosition.NONE, "", "cannot delete Service/orders")));
  }

  private static JsonNode read(String json) {
    try {
      return JSON.readTree(json);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  @AfterEach
  void stop() {
    server.close();
    small.close();
    tls.close();
  }

  private URI uri(AdminServer s, String pathAndQuery) {
    return URI.create("https://127.0.0.1:" + s.port() + pathAndQuery);
  }

  private Reply call(HttpRequest.Builder request) throws Exception {
    return call(http, request);
  }

  private static Reply call(HttpClient client, HttpRequest.Builder request) throws Exception {
    HttpResponse<String> response =
        client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    return new Reply(response.statusCode(), JSON.readTree(response.body()), response);
  }

  private Reply get(String pathAndQuery) throws Exception {
    return call(authorized(server, pathAndQuery).GET());
  }

  private HttpRequest.Builder authorized(AdminServer s, String pathAndQuery) {
    return HttpRequest.newBuilder(uri(s, pathAndQuery))
        .header("Authorization", "Bearer " + token.value());
  }

  @Test
  void healthNeedsNoToken() throws Exception {
    Reply health = call(HttpRequest.newBuilder(uri(server, "/healthz")));
    assertThat(health.status()).isEqualTo(200);
    assertThat(health.body().path("status").asText()).isEqualTo("ok");
  }

  @Test
  void everythingElseNeedsTheToken() throws Exception {
    for (String path : List.of("/v1/things", "/v1/no-such-endpoint")) {
      Reply anonymous = call(HttpRequest.newBuilder(uri(server, path)));
      assertThat(anonymous.status()).as(path).isEqualTo(401);
      assertThat(anonymous.body().path("error").asText()).isEqualTo("unauthenticated");
      assertThat(anonymous.raw().headers().firstValue("WWW-Authenticate"))
          .hasValue("Bearer realm=\"firemesh\"");
    }
    Reply wrong =
        call(
            HttpRequest.newBuilder(uri(server, "/v1/things"))
                .header("Authorization", "Bearer fm_wrong"));
    assertThat(wrong.status()).isEqualTo(401);
    Reply notBearer =
        call(
            HttpRequest.newBuilder(uri(server, "/v1/things"))
                .header("Authorization", token.value()));
    assertThat(notBearer.status()).isEqualTo(401);
    assertThat(seen.get()).isNull();
  }

  @Test
  void openRoutesNeedNoTokenAndSeeTheirOwnCredentials() throws Exception {
    Reply open =
        call(
            HttpRequest.newBuilder(uri(server, "/v1/open"))
                .header("Authorization", "JoinToken fmjt_x")
                .POST(HttpRequest.BodyPublishers.noBody()));
    assertThat(open.status()).isEqualTo(200);
    assertThat(open.body().path("authorization").asText()).isEqualTo("JoinToken fmjt_x");

    HttpResponse<String> text =
        http.send(
            HttpRequest.newBuilder(uri(server, "/v1/open-text")).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(text.statusCode()).isEqualTo(200);
    assertThat(text.body()).isEqualTo("plain words");
    assertThat(text.headers().firstValue("Content-Type")).hasValue("text/plain");

    // An admin route beside them still wants the token.
    assertThat(call(HttpRequest.newBuilder(uri(server, "/v1/things"))).status()).isEqualTo(401);
  }

  @Test
  void routesDecodePathParametersOnceAndQueryValues() throws Exception {
    Reply answer = get("/v1/things/Route/a%2Fb%20c+d%25zz?limit=5&note=x+y%21&flag");
    assertThat(answer.status()).isEqualTo(200);
    AdminRequest request = seen.get();
    // An encoded slash stays in its segment; "+" in a path is a plus; "%25zz" is the text "%zz".
    assertThat(request.pathParams())
        .containsExactly(Map.entry("kind", "Route"), Map.entry("name", "a/b c+d%zz"));
    assertThat(request.query()).containsEntry("limit", "5").containsEntry("note", "x y!");
    assertThat(request.longQueryParam("limit", 20)).isEqualTo(5);
    assertThat(request.flag("flag")).isFalse();
    assertThat(request.method()).isEqualTo("GET");
  }

  @Test
  void theActorIsThePrincipalWhateverTheActorHeaderSays() throws Exception {
    call(authorized(server, "/v1/things").header("X-FireMesh-Actor", "mallory").GET());
    assertThat(seen.get().actor()).isEqualTo("operator:bootstrap-admin");
    call(
        HttpRequest.newBuilder(uri(server, "/v1/change"))
            .header("Authorization", "Bearer fmop_operator")
            .header("X-FireMesh-Actor", "mallory")
            .POST(HttpRequest.BodyPublishers.noBody()));
    assertThat(seen.get().actor()).isEqualTo("operator:otto");
  }

  private Reply as(String token, String method, String path) throws Exception {
    return call(
        HttpRequest.newBuilder(uri(server, path))
            .header("Authorization", "Bearer " + token)
            .method(method, HttpRequest.BodyPublishers.noBody()));
  }

  @Test
  void eachRoleReachesItsRoutesAndIs403AboveThemNamingTheRoles() throws Exception {
    assertThat(as("fmop_viewer", "GET", "/v1/view").status()).isEqualTo(200);
    Reply viewerChanges = as("fmop_viewer", "POST", "/v1/change");
    assertThat(viewerChanges.status()).isEqualTo(403);
    assertThat(viewerChanges.body().path("error").asText()).isEqualTo("forbidden");
    assertThat(viewerChanges.body().path("message").asText())
        .isEqualTo("POST /v1/change needs role operator; operator:vera has role viewer");
    assertThat(as("fmop_viewer", "POST", "/v1/register").status()).isEqualTo(403);

    assertThat(as("fmop_operator", "GET", "/v1/view").status()).isEqualTo(200);
    assertThat(as("fmop_operator", "POST", "/v1/change").status()).isEqualTo(200);
    assertThat(as("fmop_operator", "POST", "/v1/register").status()).isEqualTo(200);
    Reply operatorAdmins = as("fmop_operator", "GET", "/v1/things");
    assertThat(operatorAdmins.status()).isEqualTo(403);
    assertThat(operatorAdmins.body().path("message").asText())
        .isEqualTo("GET /v1/things needs role admin; operator:otto has role operator");

    for (String path : List.of("/v1/view", "/v1/change", "/v1/register")) {
      String method = path.equals("/v1/view") ? "GET" : "POST";
      assertThat(as(token.value(), method, path).status()).as(path).isEqualTo(200);
    }
    assertThat(as(token.value(), "GET", "/v1/things").status()).isEqualTo(200);

    Reply unknown = as("fmop_nobody", "GET", "/v1/view");
    assertThat(unknown.status()).isEqualTo(401);
    assertThat(unknown.body().path("message").asText()).startsWith("wrong, revoked or expired");
  }

  @Test
  void plaintextToTheAdminPortGetsNoHttpAnswer() throws IOException {
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.port())) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write(
          ("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
                  + token.value()
                  + "\r\nConnection: close\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      byte[] answer;
      try {
        answer = socket.getInputStream().readAllBytes();
      } catch (java.net.SocketException reset) {
        answer = new byte[0];
      }
      assertThat(new String(answer, StandardCharsets.ISO_8859_1)).doesNotContain("HTTP/1.");
    }
  }

  @Test
  void aClientThatDoesNotTrustTheMeshRootsCannotConnect() {
    TestCa other = new TestCa("test.local");
    HttpClient stranger = other.client();
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> call(stranger, HttpRequest.newBuilder(uri(server, "/healthz"))))
        .isInstanceOf(javax.net.ssl.SSLHandshakeException.class);
  }

  @Test
  void theServerCertificateNamesLoopbackAndIsRenewedInPlace() throws Exception {
    X509Certificate first = tls.serverCertificate();
    assertThat(first.getSubjectAlternativeNames().stream().map(n -> String.valueOf(n.get(1))))
        .contains("localhost", "127.0.0.1");
    assertThat(served(server)).isEqualTo(first);

    tls.renew();
    X509Certificate second = tls.serverCertificate();
    assertThat(second.getSerialNumber()).isNotEqualTo(first.getSerialNumber());
    assertThat(served(server)).isEqualTo(second);
    assertThat(get("/v1/things").status()).isEqualTo(200);
  }

  /** The certificate a new handshake gets. */
  private static X509Certificate served(AdminServer s) throws IOException {
    try (SSLSocket socket =
        (SSLSocket)
            CA.context(null)
                .getSocketFactory()
                .createSocket(InetAddress.getLoopbackAddress(), s.port())) {
      socket.startHandshake();
      return (X509Certificate) socket.getSession().getPeerCertificates()[0];
    }
  }

  @Test
  void anOperatorCertificateAuthenticatesAsTheOperator() throws Exception {
    HttpClient cora = CA.client(CA.operatorCertificate("cora"));
    Reply change =
        call(
            cora,
            HttpRequest.newBuilder(uri(server, "/v1/change"))
                .POST(HttpRequest.BodyPublishers.noBody()));
    assertThat(change.status()).isEqualTo(200);
    assertThat(seen.get().actor()).isEqualTo("operator:cora");
    assertThat(call(cora, HttpRequest.newBuilder(uri(server, "/v1/things"))).status())
        .isEqualTo(403);

    // A certificate for an operator the server does not know: unauthenticated.
    HttpClient ghost = CA.client(CA.operatorCertificate("ghost"));
    Reply unknown = call(ghost, HttpRequest.newBuilder(uri(server, "/v1/view")));
    assertThat(unknown.status()).isEqualTo(401);
    assertThat(unknown.body().path("message").asText())
        .isEqualTo(
            "no live operator holds the client certificate spiffe://test.local/operator/ghost");
  }

  @Test
  void aWorkloadCertificateReachesOnlyRegistrationAndOpenRoutes() throws Exception {
    SpiffeId orders = new SpiffeId("test.local", "prod", "orders");
    HttpClient workload = CA.client(CA.svid(orders));
    Reply register =
        call(
            workload,
            HttpRequest.newBuilder(uri(server, "/v1/register"))
                .POST(HttpRequest.BodyPublishers.noBody()));
    assertThat(register.status()).isEqualTo(200);
    assertThat(seen.get().principal()).isEqualTo(new Principal.Workload(orders));
    assertThat(seen.get().actor()).isEqualTo("workload:spiffe://test.local/env/prod/svc/orders");

    Reply view = call(workload, HttpRequest.newBuilder(uri(server, "/v1/view")));
    assertThat(view.status()).isEqualTo(403);
    assertThat(view.body().path("message").asText())
        .contains("is a workload, which may only register, renew and deregister instances");
    assertThat(
            call(
                    workload,
                    HttpRequest.newBuilder(uri(server, "/v1/open"))
                        .POST(HttpRequest.BodyPublishers.noBody()))
                .status())
        .isEqualTo(200);
  }

  @Test
  void aSelfSignedClientCertificateIsRefused() throws Exception {
    KeyPair keys = KeyPairs.generate();
    CertificateIssuer self =
        CertificateIssuer.selfSignedRoot(keys, "CN=Mallory", Instant.now(), Duration.ofHours(1));
    HttpClient mallory =
        TestCa.client(CA.trustBundle(), new TestCa.Credential(keys, List.of(self.certificate())));
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> call(mallory, HttpRequest.newBuilder(uri(server, "/v1/open-text"))))
        .isInstanceOf(IOException.class);
    assertThat(seen.get()).isNull();
  }

  @Test
  void unknownPathIs404AndOtherMethodIs405() throws Exception {
    Reply unknown = get("/v1/nope");
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.body().path("error").asText()).isEqualTo("not_found");
    assertThat(unknown.body().path("message").asText()).isEqualTo("no admin endpoint /v1/nope");

    Reply wrongMethod =
        call(authorized(server, "/v1/things/Route/x").PUT(HttpRequest.BodyPublishers.noBody()));
    assertThat(wrongMethod.status()).isEqualTo(405);
    assertThat(wrongMethod.body().path("error").asText()).isEqualTo("method_not_allowed");
    assertThat(wrongMethod.body().path("message").asText())
        .isEqualTo("PUT is not allowed on /v1/things/Route/x");
  }

  @Test
  void jsonBodiesAreCheckedWithClearMessages() throws Exception {
    Reply ok = post("{\"files\": [1, 2]}");
    assertThat(ok.status()).isEqualTo(200);
    assertThat(ok.body().path("got").path("files")).hasSize(2);

    Reply malformed = post("{\"files\":");
    assertThat(malformed.status()).isEqualTo(400);
    assertThat(malformed.body().path("error").asText()).isEqualTo("bad_request");
    assertThat(malformed.body().path("message").asText())
        .startsWith("request body is not valid JSON: ");

    Reply empty = post("");
    assertThat(empty.status()).isEqualTo(400);
    assertThat(empty.body().path("message").asText())
        .isEqualTo("request body must be a JSON object, got an empty body");

    Reply array = post("[1]");
    assertThat(array.status()).isEqualTo(400);
    assertThat(array.body().path("message").asText())
        .isEqualTo("request body must be a JSON object");
  }

  private Reply post(String body) throws Exception {
    return call(authorized(server, "/v1/things").POST(HttpRequest.BodyPublishers.ofString(body)));
  }

  @Test
  void aBodyOverTheLimitIs413() throws Exception {
    Reply atLimit =
        call(
            authorized(small, "/v1/things")
                .POST(HttpRequest.BodyPublishers.ofString(padded(SMALL_LIMIT))));
    assertThat(atLimit.status()).isEqualTo(200);

    Reply over =
        call(
            authorized(small, "/v1/things")
                .POST(HttpRequest.BodyPublishers.ofString(padded(SMALL_LIMIT + 1))));
    assertThat(over.status()).isEqualTo(413);
    assertThat(over.body().path("error").asText()).isEqualTo("too_large");
    assertThat(over.body().path("message").asText()).isEqualTo("request body exceeds 1 KiB");

    // Without a declared length (chunked), the limit holds while reading.
    byte[] chunked = padded(SMALL_LIMIT + 1).getBytes(StandardCharsets.UTF_8);
    Reply streamed =
        call(
            authorized(small, "/v1/things")
                .POST(
                    HttpRequest.BodyPublishers.ofInputStream(
                        () -> new ByteArrayInputStream(chunked))));
    assertThat(streamed.status()).isEqualTo(413);
  }

  /** A JSON object of exactly {@code size} bytes. */
  private static String padded(int size) {
    String prefix = "{\"pad\":\"";
    String suffix = "\"}";
    return prefix + "x".repeat(size - prefix.length() - suffix.length()) + suffix;
  }

  @Test
  void aDeclaredLengthOverSixteenMebibytesIsRefusedBeforeTheBodyIsSent() throws Exception {
    String request =
        "POST /v1/things HTTP/1.1\r\n"
            + "Host: 127.0.0.1\r\n"
            + "Authorization: Bearer "
            + token.value()
            + "\r\n"
            + "Content-Length: "
            + (16 * 1024 * 1024 + 1)
            + "\r\n"
            + "Connection: close\r\n\r\n{";
    String response = raw(server, request);
    assertThat(response).startsWith("HTTP/1.1 413 ");
    assertThat(response).contains("\"message\" : \"request body exceeds 16 MiB\"");
  }

  /**
   * A refusal is decided from the head, but answered only once the body is in: a client still
   * sending its body when the answer came (the JDK client) could lose the answer, and the
   * connection stays usable for the next call.
   */
  @Test
  void aRefusedCallIsAnsweredAfterItsBodyAndKeepsTheConnection() throws Exception {
    String body = "{\"name\":\"x\"}";
    String head =
        "POST /v1/change HTTP/1.1\r\n"
            + "Host: 127.0.0.1\r\n"
            + "Authorization: Bearer fmop_viewer\r\n"
            + "Content-Length: "
            + body.length()
            + "\r\n\r\n";
    try (Socket socket =
        CA.context(null)
            .getSocketFactory()
            .createSocket(InetAddress.getLoopbackAddress(), server.port())) {
      OutputStream out = socket.getOutputStream();
      InputStream in = socket.getInputStream();
      out.write(head.getBytes(StandardCharsets.US_ASCII));
      out.flush();
      socket.setSoTimeout(300);
      assertThatThrownBy(in::read)
          .as("no answer before the body")
          .isInstanceOf(java.net.SocketTimeoutException.class);
      socket.setSoTimeout(10_000);
      out.write(body.getBytes(StandardCharsets.US_ASCII));
      out.flush();
      assertThat(readAnswer(in)).startsWith("HTTP/1.1 403 ");
      out.write(
          ("GET /v1/view HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                  + "Authorization: Bearer fmop_viewer\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      assertThat(readAnswer(in)).startsWith("HTTP/1.1 200 ");
    }
  }

  /** One answer with a Content-Length body, read off a kept-alive connection. */
  private static String readAnswer(InputStream in) throws IOException {
    StringBuilder head = new StringBuilder();
    while (!head.toString().endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        throw new java.io.EOFException("connection closed after: " + head);
      }
      head.append((char) b);
    }
    java.util.regex.Matcher length =
        java.util.regex.Pattern.compile("(?i)content-length: *([0-9]+)").matcher(head);
    if (length.find()) {
      in.readNBytes(Integer.parseInt(length.group(1)));
    }
    return head.toString();
  }

  private static String raw(AdminServer s, String request) throws IOException {
    try (Socket socket =
        CA.context(null)
            .getSocketFactory()
            .createSocket(InetAddress.getLoopbackAddress(), s.port())) {
      OutputStream out = socket.getOutputStream();
      out.write(request.getBytes(StandardCharsets.UTF_8));
      out.flush();
      // Half-close: the server, draining the body it refused, sees its end and closes too.
      socket.shutdownOutput();
      InputStream in = socket.getInputStream();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void declaredRefusalsBecome4xxForEveryRoute() throws Exception {
    Reply invalid = get("/v1/refused");
    assertThat(invalid.status()).isEqualTo(422);
    assertThat(invalid.body().path("error").asText()).isEqualTo("invalid");
    assertThat(invalid.body().path("message").asText())
        .isEqualTo("2 problem(s); nothing was applied");
    JsonNode problems = invalid.body().path("detail").path("problems");
    assertThat(problems).hasSize(2);
    assertThat(problems.get(0).path("file").asText()).isEqualTo("bad.yaml");
    assertThat(problems.get(0).path("line").asInt()).isEqualTo(3);
    assertThat(problems.get(1).path("message").asText()).isEqualTo("cannot delete Service/orders");

    Reply conflict = get("/v1/conflict");
    assertThat(conflict.status()).isEqualTo(409);
    assertThat(conflict.body().path("error").asText()).isEqualTo("conflict");

    Reply noRevision = get("/v1/no-revision");
    assertThat(noRevision.status()).isEqualTo(404);
    assertThat(noRevision.body().path("message").asText())
        .isEqualTo("no revision 0: revisions run from 1 to 4");

    Reply teapot = get("/v1/teapot");
    assertThat(teapot.status()).isEqualTo(418);
    assertThat(teapot.body().path("error").asText()).isEqualTo("teapot");
    assertThat(teapot.body().has("detail")).isTrue();
  }

  @Test
  void anythingElseIsAJson500() throws Exception {
    Reply broken = get("/v1/broken");
    assertThat(broken.status()).isEqualTo(500);
    assertThat(broken.body().path("error").asText()).isEqualTo("internal");
    assertThat(broken.body().path("message").asText()).contains("a bug");
    assertThat(broken.raw().headers().firstValue("Content-Type")).hasValue("application/json");
  }

  @Test
  void decimalsTravelExactly() throws Exception {
    HttpResponse<String> response =
        http.send(
            authorized(server, "/v1/decimals").GET().build(), HttpResponse.BodyHandlers.ofString());
    assertThat(response.body()).contains("50000000.00").contains("0.10").doesNotContain("E7");
    JsonNode decoded = JSON.readTree(response.body());
    assertThat(decoded.path("notional").decimalValue().toPlainString()).isEqualTo("50000000.00");
  }

  @Test
  void aBusyPortFailsAtBindAndTheServerStillCloses() throws Exception {
    try (ServerSocket busy = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      AdminServer second = new AdminServer(token);
      try {
        org.assertj.core.api.Assertions.assertThatThrownBy(
                () -> second.bind(new InetSocketAddress("127.0.0.1", busy.getLocalPort())))
            .isInstanceOf(java.net.BindException.class);
      } finally {
        second.close();
      }
    }
  }
}
