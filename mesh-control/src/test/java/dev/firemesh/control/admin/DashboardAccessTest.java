package dev.firemesh.control.admin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.firemesh.control.operator.Authenticator;
import dev.firemesh.control.operator.Principal;
import dev.firemesh.control.operator.Role;
import dev.firemesh.dashboard.DashboardAssets;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The browser's way in: sessions opened with a token or a client certificate, good for reads only,
 * and the dashboard's files behind them. A real HTTPS admin server on a loopback port with a
 * throwaway CA and stub operators.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DashboardAccessTest {
  private static final ObjectMapper JSON = AdminJson.mapper();
  private static final TestCa CA = new TestCa("test.local");

  @TempDir Path dataDir;

  /** Operators still live; a test revokes one by removing it. */
  private final Set<String> live = ConcurrentHashMap.newKeySet();

  private final Authenticator operators =
      new Authenticator() {
        @Override
        public Optional<Principal.Operator> byToken(String token) {
          return token.equals("fmop_vera") && live.contains("vera")
              ? Optional.of(new Principal.Operator("vera", Role.VIEWER))
              : Optional.empty();
        }

        @Override
        public Optional<Principal.Operator> byCertificate(String identity) {
          return identity.equals("spiffe://test.local/operator/cora")
              ? Optional.of(new Principal.Operator("cora", Role.OPERATOR))
              : Optional.empty();
        }

        @Override
        public Optional<Principal.Operator> byName(String name) {
          if (!live.contains(name)) {
            return Optional.empty();
          }
          return Optional.of(
              new Principal.Operator(name, name.equals("vera") ? Role.VIEWER : Role.OPERATOR));
        }
      };

  private AdminToken token;
  private AdminTls tls;
  private AdminServer server;
  private final HttpClient http = CA.client();

  @BeforeEach
  void start() throws Exception {
    live.addAll(Set.of("vera", "cora"));
    token = AdminToken.loadOrCreate(dataDir);
    tls = CA.adminTls();
    server = new AdminServer(token);
    server
        .route(
            "GET",
            "/v1/view",
            AdminServer.Access.VIEWER,
            r -> JSON.createObjectNode().put("actor", r.actor()))
        .route(
            "POST",
            "/v1/change",
            AdminServer.Access.OPERATOR,
            r -> JSON.createObjectNode().put("changed", true))
        .route(
            "DELETE",
            "/v1/change",
            AdminServer.Access.OPERATOR,
            r -> JSON.createObjectNode().put("changed", true));
    new SessionApi().registerOn(server);
    new DashboardPages(DashboardAssets.fromClassPath()).registerOn(server);
    server.bind(new InetSocketAddress("127.0.0.1", 0)).start(tls, operators);
  }

  @AfterEach
  void stop() {
    server.close();
    tls.close();
  }

  private HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + server.port() + path));
  }

  private static HttpResponse<String> send(HttpClient client, HttpRequest.Builder request)
      throws Exception {
    return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
    return send(http, request);
  }

  private HttpResponse<String> login(HttpClient client, String body) throws Exception {
    return send(
        client,
        request("/v1/sessions")
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body)));
  }

  /** Logs in and returns the {@code Cookie} header a browser would send from then on. */
  private String session(String loginToken) throws Exception {
    HttpResponse<String> answer = login(http, "{\"token\":\"" + loginToken + "\"}");
    assertThat(answer.statusCode()).isEqualTo(200);
    String setCookie = answer.headers().firstValue("Set-Cookie").orElseThrow();
    return setCookie.substring(0, setCookie.indexOf(';'));
  }

  private static JsonNode json(HttpResponse<String> response) throws Exception {
    return JSON.readTree(response.body());
  }

  @Test
  void theAdminTokenOpensAReadOnlySessionWithAStrictCookie() throws Exception {
    HttpResponse<String> answer = login(http, "{\"token\":\"" + token.value() + "\"}");

    assertThat(answer.statusCode()).isEqualTo(200);
    assertThat(json(answer).path("actor").asText()).isEqualTo("operator:bootstrap-admin");
    assertThat(answer.headers().firstValue("Set-Cookie").orElseThrow())
        .matches(
            "firemesh_session=[A-Za-z0-9_-]{43}; Path=/; Max-Age=28800; HttpOnly; Secure;"
                + " SameSite=Strict");
    String cookie = session(token.value());

    HttpResponse<String> read = send(request("/v1/view").header("Cookie", cookie));
    assertThat(read.statusCode()).isEqualTo(200);
    assertThat(json(read).path("actor").asText()).isEqualTo("operator:bootstrap-admin");
  }

  @Test
  void aSessionCannotChangeAnything() throws Exception {
    String cookie = session(token.value());

    HttpResponse<String> post =
        send(
            request("/v1/change")
                .header("Cookie", cookie)
                .POST(HttpRequest.BodyPublishers.ofString("{}")));
    HttpResponse<String> delete = send(request("/v1/change").header("Cookie", cookie).DELETE());

    assertThat(post.statusCode()).isEqualTo(401);
    assertThat(json(post).path("message").asText())
        .startsWith("a browser session may only read (GET)");
    assertThat(delete.statusCode()).isEqualTo(401);
    // The same admin with its token, as the CLI calls: allowed.
    assertThat(
            send(request("/v1/change")
                    .header("Authorization", "Bearer " + token.value())
                    .POST(HttpRequest.BodyPublishers.ofString("{}")))
                .statusCode())
        .isEqualTo(200);
  }

  @Test
  void aWrongTokenOpensNothing() throws Exception {
    HttpResponse<String> answer = login(http, "{\"token\":\"fm_wrong\"}");

    assertThat(answer.statusCode()).isEqualTo(401);
    assertThat(answer.headers().firstValue("Set-Cookie")).isEmpty();
    assertThat(json(answer).path("message").asText()).contains("wrong, revoked or expired token");
    assertThat(login(http, "{}").statusCode()).isEqualTo(401);
  }

  @Test
  void loginTakesJsonOnlySoNoOtherSiteCanPostAForm() throws Exception {
    HttpResponse<String> answer =
        send(
            request("/v1/sessions")
                .header("Content-Type", "text/plain")
                .POST(
                    HttpRequest.BodyPublishers.ofString("{\"token\":\"" + token.value() + "\"}")));

    assertThat(answer.statusCode()).isEqualTo(415);
    assertThat(answer.headers().firstValue("Set-Cookie")).isEmpty();
  }

  @Test
  void logoutEndsTheSessionAndClearsTheCookie() throws Exception {
    String cookie = session(token.value());

    HttpResponse<String> out =
        send(request("/v1/sessions/current").header("Cookie", cookie).DELETE());

    assertThat(out.statusCode()).isEqualTo(200);
    assertThat(out.headers().firstValue("Set-Cookie").orElseThrow())
        .startsWith("firemesh_session=; Path=/; Max-Age=0");
    HttpResponse<String> after = send(request("/v1/view").header("Cookie", cookie));
    assertThat(after.statusCode()).isEqualTo(401);
    assertThat(json(after).path("message").asText()).contains("the browser session has ended");
  }

  @Test
  void aRevokedOperatorLosesItsSession() throws Exception {
    String cookie = session("fmop_vera");
    HttpResponse<String> before = send(request("/v1/view").header("Cookie", cookie));
    assertThat(json(before).path("actor").asText()).isEqualTo("operator:vera");

    live.remove("vera");

    assertThat(send(request("/v1/view").header("Cookie", cookie)).statusCode()).isEqualTo(401);
  }

  @Test
  void aMadeUpCookieIsNobody() throws Exception {
    HttpResponse<String> answer =
        send(request("/v1/view").header("Cookie", "firemesh_session=" + "A".repeat(43)));

    assertThat(answer.statusCode()).isEqualTo(401);
  }

  @Test
  void anOperatorsClientCertificateOpensASessionWithoutAToken() throws Exception {
    HttpClient cora = CA.client(CA.operatorCertificate("cora"));

    HttpResponse<String> answer = login(cora, "{}");

    assertThat(answer.statusCode()).isEqualTo(200);
    assertThat(json(answer).path("actor").asText()).isEqualTo("operator:cora");
    String setCookie = answer.headers().firstValue("Set-Cookie").orElseThrow();
    String cookie = setCookie.substring(0, setCookie.indexOf(';'));
    // The session alone (no certificate on this client) reads as cora.
    assertThat(json(send(request("/v1/view").header("Cookie", cookie))).path("actor").asText())
        .isEqualTo("operator:cora");
  }

  @Test
  void theLoginPageIsOpenAndEveryOtherPageNeedsASession() throws Exception {
    HttpResponse<String> loginPage = send(request("/ui/login.html"));
    assertThat(loginPage.statusCode()).isEqualTo(200);
    assertThat(loginPage.headers().firstValue("Content-Type")).contains("text/html; charset=utf-8");
    assertThat(loginPage.body()).contains("login.js");
    assertThat(send(request("/ui/login.js")).statusCode()).isEqualTo(200);
    assertThat(send(request("/ui/style.css")).statusCode()).isEqualTo(200);

    for (String path :
        new String[] {"/ui/", "/ui/app.js", "/ui/js/map.js", "/ui/lib/uPlot.esm.js"}) {
      HttpResponse<String> refused = send(request(path));
      assertThat(refused.statusCode()).as(path).isEqualTo(302);
      assertThat(refused.headers().firstValue("Location")).as(path).contains("/ui/login.html");
    }
    HttpResponse<String> bare = send(request("/ui"));
    assertThat(bare.statusCode()).isEqualTo(302);
    assertThat(bare.headers().firstValue("Location")).contains("/ui/");
  }

  @Test
  void aSessionGetsThePagesAndLibrariesWithTheirSecurityHeaders() throws Exception {
    String cookie = session(token.value());

    HttpResponse<String> start = send(request("/ui/").header("Cookie", cookie));
    assertThat(start.statusCode()).isEqualTo(200);
    assertThat(start.body()).contains("/ui/app.js");
    assertThat(start.headers().firstValue("Content-Security-Policy").orElseThrow())
        .startsWith("default-src 'self'; script-src 'self';")
        .contains("frame-ancestors 'none'");
    assertThat(start.headers().firstValue("X-Content-Type-Options")).contains("nosniff");

    HttpResponse<String> echarts =
        send(request("/ui/lib/echarts.esm.min.js").header("Cookie", cookie));
    assertThat(echarts.statusCode()).isEqualTo(200);
    assertThat(echarts.headers().firstValue("Content-Type"))
        .contains("text/javascript; charset=utf-8");
  }

  @Test
  void noPathUnderUiReachesAnythingButTheDashboard() throws Exception {
    String cookie = session(token.value());
    for (String path :
        new String[] {
          "/ui/%2e%2e/admin.token",
          "/ui/js/%2e%2e%2f%2e%2e%2fDashboardAssets.class",
          "/ui/lib/%2e%2e%2fapp.js",
          "/ui/META-INF/MANIFEST.MF",
          "/ui/dev/firemesh/dashboard/DashboardAssets.class",
          "/ui/logback.xml",
          "/ui/missing.html",
        }) {
      HttpResponse<String> answer = send(request(path).header("Cookie", cookie));
      assertThat(answer.statusCode()).as(path).isIn(401, 404);
      assertThat(answer.body()).as(path).doesNotContain("PK", "cafebabe", "<configuration");
    }
  }
}
