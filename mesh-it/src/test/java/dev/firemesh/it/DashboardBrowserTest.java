package dev.firemesh.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.Route;
import dev.firemesh.cli.client.AdminClient;
import dev.firemesh.control.ControlPlaneFiles;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dashboard in a real browser: Debian's headless chromium, driven by Playwright, against a real
 * control plane process holding a configuration history and registered instances. The browser logs
 * in through the login page as a person would, walks the map, a service, the trace explorer and the
 * history, and the test saves a screenshot of each page to {@code target/screenshots/}. Playwright
 * never downloads a browser: the test uses {@code /usr/bin/chromium} ({@code ./run-tests} installs
 * it).
 *
 * <p>The telemetry API may not be there (an older control plane, or not merged yet): then the pages
 * must say so and show what the registry knows, not break.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DashboardBrowserTest {
  private static final Path EXAMPLE = Path.of("..", "examples", "trading", "mesh");
  private static final Path SCREENSHOTS = Path.of("target", "screenshots");
  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final String TELEMETRY_MISSING = "Telemetry is not available";

  @TempDir static Path tmp;
  static ControlPlaneProcess control;
  static String adminToken;
  static URI ui;
  static Playwright playwright;
  static Browser browser;

  /** The logged-in operator's browser, shared by the tests in their order. */
  static BrowserContext operator;

  static Page page;

  /** Uncaught script errors and policy violations: any of them fails the test that saw it. */
  static final List<String> scriptErrors = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void startControlPlaneAndBrowser() throws Exception {
    Files.createDirectories(SCREENSHOTS);
    control = ControlPlaneProcess.start(tmp.resolve("data"));
    String dataDir = control.dataDir().toString();
    adminToken = Files.readString(control.dataDir().resolve(ControlPlaneFiles.TOKEN)).strip();
    ui = URI.create(control.adminUrl() + "/ui/");

    // History: the trading mesh by the bootstrap admin, then a change by operator olga.
    Cli.Result mesh =
        Cli.run("apply", "-f", EXAMPLE.toString(), "-m", "trading mesh", "--data-dir", dataDir);
    assertThat(mesh.exitCode()).as(mesh.err()).isZero();
    Cli.Result olga =
        Cli.run(
            "operator", "create", "--name", "olga", "--role", "operator", "--data-dir", dataDir);
    assertThat(olga.exitCode()).as(olga.err()).isZero();
    Path olgaToken = Files.writeString(tmp.resolve("olga.token"), olga.out());
    Path probe =
        Files.writeString(
            tmp.resolve("probe.yaml"),
            """
            apiVersion: firemesh.dev/v1
            kind: Service
            metadata:
              name: dashboard-probe
            spec:
              ports:
                - {name: http, port: 8080, protocol: http1}
            """);
    Cli.Result olgaApplies =
        Cli.run(
            "apply",
            "-f",
            probe.toString(),
            "-m",
            "probe from the dashboard test",
            "--token-file",
            olgaToken.toString(),
            "--data-dir",
            dataDir);
    assertThat(olgaApplies.exitCode()).as(olgaApplies.err()).isZero();

    // The registry: what the map and the service page show without telemetry.
    AdminClient admin = control.client();
    register(admin, "orders", "orders-1", 19001, "eu-west-1a");
    register(admin, "orders", "orders-2", 19002, "eu-west-1b");
    register(admin, "risk", "risk-1", 19003, "eu-west-1a");
    register(admin, "market-data", "market-data-1", 19004, "eu-west-1b");

    playwright =
        Playwright.create(
            new Playwright.CreateOptions().setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
    browser =
        playwright
            .chromium()
            .launch(
                new BrowserType.LaunchOptions()
                    .setExecutablePath(CHROMIUM)
                    .setHeadless(true)
                    .setArgs(
                        List.of(
                            "--no-sandbox",
                            "--disable-gpu",
                            "--disable-background-networking",
                            "--disable-component-update",
                            "--disable-sync",
                            "--no-first-run")));
    operator = newContext();
    page = watched(operator.newPage());
  }

  private static void register(
      AdminClient admin, String service, String id, int port, String zone) {
    ObjectNode body =
        AdminClient.json()
            .put("service", service)
            .put("instanceId", id)
            .put("address", "127.0.0.1")
            .put("port", port)
            .put("ttlSeconds", 600);
    body.putObject("labels").put("version", "v1").put("zone", zone).put("region", "eu-west-1");
    admin.post("/v1/instances", body);
  }

  /**
   * A fresh browser profile. The control plane's certificate comes from the mesh's own CA, which
   * chromium's store does not hold; the test accepts it as an operator would after checking it.
   */
  private static BrowserContext newContext() {
    return browser.newContext(
        new Browser.NewContextOptions().setIgnoreHTTPSErrors(true).setViewportSize(1400, 1000));
  }

  private static Page watched(Page page) {
    page.setDefaultTimeout(15_000);
    page.onPageError(error -> scriptErrors.add("uncaught: " + error));
    page.onConsoleMessage(
        message -> {
          if (message.text().contains("Content Security Policy")) {
            scriptErrors.add("policy: " + message.text());
          }
        });
    return page;
  }

  private static void screenshot(Page page, String name) {
    page.screenshot(
        new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve(name + ".png")).setFullPage(true));
  }

  @AfterAll
  static void stop() {
    if (playwright != null) {
      playwright.close(); // closes the browser and its contexts
    }
    if (control != null) {
      control.close();
    }
  }

  /** What the control plane itself answers for a GET, with the admin token: status and body. */
  private static HttpResponse<String> api(String path) throws Exception {
    HttpClient https = control.https();
    return https.send(
        HttpRequest.newBuilder(control.adminUrl().resolve(path))
            .header("Authorization", "Bearer " + adminToken)
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  @Order(1)
  void aBrowserWithoutASessionIsSentToTheLoginPage() {
    try (BrowserContext stranger = newContext()) {
      Page visit = watched(stranger.newPage());
      visit.navigate(ui + "#/history");
      visit.waitForURL("**/ui/login.html**");
      assertThat(visit.locator("#token").isVisible()).isTrue();
      screenshot(visit, "login");
    }
    assertThat(scriptErrors).isEmpty();
  }

  @Test
  @Order(2)
  void theOperatorLogsInAndTheMapShowsTheMeshServices() throws Exception {
    page.navigate(ui + "#/map");
    page.waitForURL("**/ui/login.html**");
    page.fill("#token", adminToken);
    page.click("#login-form button[type=submit]");
    page.waitForURL(url -> url.contains("/ui/#/map"));

    page.waitForSelector("#map canvas");
    page.waitForSelector("#map-nodes tr[data-service]");
    Set<String> shown = services(page.locator("#map-nodes tr[data-service]"));

    HttpResponse<String> graph = api("/v1/telemetry/graph?window=1m");
    if (graph.statusCode() == 404) {
      // No telemetry here: the map says so and draws the registry's services.
      assertThat(page.locator("#map-notice").textContent()).contains(TELEMETRY_MISSING);
      assertThat(shown).containsExactlyInAnyOrder("orders", "risk", "market-data");
      assertThat(page.locator("#map-nodes tr[data-service=orders] td").nth(1).textContent().strip())
          .isEqualTo("2");
    } else {
      assertThat(graph.statusCode()).isEqualTo(200);
      JsonNode body = new ObjectMapper().readTree(graph.body());
      Set<String> expected = new TreeSet<>();
      body.path("nodes").forEach(n -> expected.add(n.path("service").asText()));
      body.path("edges")
          .forEach(
              e -> {
                expected.add(e.path("source").asText());
                expected.add(e.path("destination").asText());
              });
      page.waitForFunction(
          "n => document.querySelectorAll('#map-nodes tr[data-service]').length >= n",
          expected.size());
      assertThat(services(page.locator("#map-nodes tr[data-service]"))).containsAll(expected);
      assertThat(page.locator("#map-notice").textContent()).doesNotContain(TELEMETRY_MISSING);
    }
    assertThat(page.locator("#who").textContent()).contains("bootstrap-admin");
    screenshot(page, "map");
    assertThat(scriptErrors).isEmpty();
  }

  private static Set<String> services(Locator rows) {
    return rows.all().stream()
        .map(row -> row.getAttribute("data-service"))
        .collect(Collectors.toCollection(TreeSet::new));
  }

  @Test
  @Order(3)
  void aClickOnAServiceOpensItsPageWithItsInstances() {
    page.navigate(ui + "#/map");
    Locator row = page.locator("#map-nodes tr[data-service=orders]");
    if (row.count() == 0) {
      row = page.locator("#map-nodes tr[data-service]").first();
    }
    String service = row.getAttribute("data-service");
    row.click();

    page.waitForURL(url -> url.endsWith("#/service/" + service));
    assertThat(page.locator("#service-name").textContent()).isEqualTo(service);
    page.waitForSelector("#service-instances tr[data-instance]");
    if (service.equals("orders")) {
      assertThat(page.locator("#service-instances tr[data-instance]").count()).isEqualTo(2);
      assertThat(page.locator("#service-instances").textContent())
          .contains("orders-1", "orders-2", "eu-west-1a", "eu-west-1b", "v1");
    }
    screenshot(page, "service");
    assertThat(scriptErrors).isEmpty();
  }

  @Test
  @Order(4)
  void theTraceExplorerSearchesOrSaysTelemetryIsMissing() throws Exception {
    page.navigate(ui + "#/traces?service=orders");
    page.waitForFunction(
        "() => !document.querySelector('#trace-results').textContent.includes('Searching')");
    HttpResponse<String> traces = api("/v1/telemetry/traces?service=orders&limit=50");
    if (traces.statusCode() == 404) {
      page.waitForSelector("#trace-results .notice");
      assertThat(page.locator("#trace-results").textContent()).contains(TELEMETRY_MISSING);
    } else if (page.locator("#trace-results tr[data-trace-id]").count() > 0) {
      page.locator("#trace-results tr[data-trace-id]").first().click();
      page.waitForSelector("#waterfall .span-row[data-span-id]");
      screenshot(page, "trace");
    }
    assertThat(page.locator("#trace-search input[name=service]").inputValue()).isEqualTo("orders");
    screenshot(page, "traces");
    assertThat(scriptErrors).isEmpty();
  }

  @Test
  @Order(5)
  void theHistoryShowsWhoChangedWhatAndWhen() {
    page.navigate(ui + "#/history");
    page.waitForSelector("#revision-2");

    Locator olgas = page.locator("#revision-2");
    assertThat(olgas.locator("td.who").textContent()).isEqualTo("operator:olga");
    assertThat(olgas.textContent())
        .contains("probe from the dashboard test", "Service/dashboard-probe");
    assertThat(page.locator("#revision-1 td.who").textContent())
        .isEqualTo("operator:bootstrap-admin");
    screenshot(page, "history");

    olgas.click();
    page.waitForURL(url -> url.endsWith("#/history/2"));
    page.waitForSelector("#revision section.change");
    assertThat(page.locator("#revision").textContent())
        .contains("operator:olga", "created", "Service/dashboard-probe", "(none)");
    screenshot(page, "revision");
    assertThat(scriptErrors).isEmpty();
  }

  @Test
  @Order(6)
  void theSessionMayReadButNeverApply() {
    Object status =
        page.evaluate(
            "async () => (await fetch('/v1/apply', {method: 'POST',"
                + " headers: {'Content-Type': 'application/json'},"
                + " body: JSON.stringify({files: [{name: 'x.yaml', content: ''}]})})).status");
    Object read = page.evaluate("async () => (await fetch('/v1/revisions?limit=1')).status");

    assertThat(((Number) read).intValue()).isEqualTo(200);
    assertThat(((Number) status).intValue()).isIn(401, 403);
  }

  /**
   * The pages against the telemetry API's contract (docs/architecture.md, "Observability and the
   * digital twin"), whether or not this control plane has the API: the browser's requests to it are
   * answered with fixed answers of the agreed shapes, so the test sees exactly what the map, the
   * service page and the waterfall make of known numbers, and that the map follows the event stream
   * without a reload.
   */
  @Test
  @Order(7)
  void withTelemetryThePagesShowLiveNumbersAndTheWaterfallMarksItsSpans() {
    try (BrowserContext viewer = newContext()) {
      viewer.route(
          url -> url.contains("/v1/telemetry/"),
          route -> {
            String url = route.request().url();
            String path = URI.create(url).getPath();
            if (path.equals("/v1/telemetry/stream")) {
              route.fulfill(
                  new Route.FulfillOptions()
                      .setStatus(200)
                      .setContentType("text/event-stream")
                      .setBody("event: graph\ndata: " + graph(77.7) + "\n\n"));
              return;
            }
            String body =
                switch (path) {
                  case "/v1/telemetry/graph" -> graph(50);
                  case "/v1/telemetry/services/orders" -> Telemetry.ORDERS;
                  case "/v1/telemetry/traces" -> Telemetry.TRACES;
                  case "/v1/telemetry/traces/4bf92f3577b34da6a3ce929d0e0e4736" -> Telemetry.TRACE;
                  default -> null;
                };
            if (body == null) {
              route.fulfill(new Route.FulfillOptions().setStatus(404).setBody("{}"));
            } else {
              route.fulfill(
                  new Route.FulfillOptions()
                      .setStatus(200)
                      .setContentType("application/json")
                      .setBody(body));
            }
          });
      Page live = watched(viewer.newPage());
      live.navigate(ui + "#/map");
      live.waitForURL("**/ui/login.html**");
      live.fill("#token", adminToken);
      live.click("#login-form button[type=submit]");
      live.waitForSelector("#map canvas");

      // The first answer, then the stream's update, without a reload.
      live.waitForSelector("#map-edges tr[data-edge='gateway->orders']");
      assertThat(services(live.locator("#map-nodes tr[data-service]")))
          .containsExactly("gateway", "market-data", "orders", "risk");
      assertThat(live.locator("#map-edges tr[data-edge='orders->risk']").textContent())
          .contains("12.0", "8.0%", "41 ms");
      live.waitForFunction(
          "() => document.querySelector(\"#map-edges tr[data-edge='gateway->orders']"
              + " td[data-field=rps]\").textContent === '77.7'");
      assertThat(live.locator("#map-status").textContent()).startsWith("Live");
      assertThat(live.locator("#map-notice").textContent()).isEmpty();
      screenshot(live, "map-live");

      live.locator("#map-nodes tr[data-service=orders]").click();
      live.waitForSelector("#service-charts canvas");
      assertThat(live.locator("#service-charts .uplot").count()).isEqualTo(3);
      assertThat(live.locator("#service-instances tr[data-instance]").count()).isEqualTo(2);
      assertThat(live.locator("#service-instances tr[data-instance=orders-2]").textContent())
          .contains("unhealthy", "eu-west-1b", "v2");
      assertThat(live.locator("#service-routes").textContent()).contains("orders");
      assertThat(live.locator("#service-policies").textContent()).contains("orders-from-gateway");
      screenshot(live, "service-live");

      live.navigate(ui + "#/traces?service=orders&status=error");
      live.locator("#trace-results tr[data-trace-id]").first().click();
      live.waitForSelector("#waterfall .span-row[data-span-id]");
      assertThat(live.locator("#waterfall .span-row[data-span-id]").count()).isEqualTo(5);
      // Every span above the cause failed too; only the cause is the failing span.
      assertThat(live.locator("#waterfall .span-row.failing").getAttribute("data-span-id"))
          .isEqualTo("00f067aa0ba902b5");
      assertThat(live.locator("#waterfall .span-bar.error").count()).isEqualTo(4);
      assertThat(live.locator("#waterfall .span-row.slowest").getAttribute("data-span-id"))
          .isEqualTo("b7ad6b7169203331");
      assertThat(
              live.locator("#waterfall .span-row[data-span-id='00f067aa0ba902b5'] .span-bar")
                  .getAttribute("class"))
          .contains("failing");
      live.locator("#waterfall .span-row[data-span-id='00f067aa0ba902b5']").click();
      assertThat(live.locator("#span-detail").textContent()).contains("rpc.system", "grpc");
      screenshot(live, "trace-live");
    }
    assertThat(scriptErrors).isEmpty();
  }

  /** The graph of four services; {@code gatewayRps} tells one answer from the next. */
  private static String graph(double gatewayRps) {
    return Telemetry.GRAPH.replace("\"GATEWAY_RPS\"", Double.toString(gatewayRps));
  }

  /** Answers of the telemetry API's shapes, as the control plane sends them. */
  private static final class Telemetry {
    static final String GRAPH =
        """
        {"window": "1m", "at": "2026-11-27T08:00:00Z",
         "nodes": [
          {"service": "gateway", "instances": 1, "healthy": 1, "rps": "GATEWAY_RPS", "errorRate": 0, "p50Ms": 3.1, "p99Ms": 18},
          {"service": "orders", "instances": 2, "healthy": 1, "rps": 50, "errorRate": 0.02, "p50Ms": 4.2, "p99Ms": 35},
          {"service": "risk", "instances": 1, "healthy": 1, "rps": 12, "errorRate": 0.08, "p50Ms": 6, "p99Ms": 41},
          {"service": "market-data", "instances": 1, "healthy": 1, "rps": 5, "errorRate": 0, "p50Ms": 1, "p99Ms": 2}],
         "edges": [
          {"source": "gateway", "destination": "orders", "rps": "GATEWAY_RPS", "errorRate": 0.02, "p50Ms": 4.5, "p99Ms": 36},
          {"source": "orders", "destination": "risk", "rps": 12, "errorRate": 0.08, "p50Ms": 6.2, "p99Ms": 41},
          {"source": "orders", "destination": "market-data", "rps": 5, "errorRate": 0, "p50Ms": 1.1, "p99Ms": 2.4}]}
        """
            .replace("\n", " ");

    static final String ORDERS =
        """
        {"service": "orders",
         "instances": [
          {"id": "orders-1", "address": "127.0.0.1", "port": 19001, "healthy": true, "zone": "eu-west-1a", "region": "eu-west-1", "version": "v1"},
          {"id": "orders-2", "address": "127.0.0.1", "port": 19002, "healthy": false, "zone": "eu-west-1b", "region": "eu-west-1", "version": "v2"}],
         "routes": [{"kind": "Route", "name": "orders"}],
         "policies": [{"kind": "AuthorizationPolicy", "name": "orders-from-gateway"}],
         "series": {"t": [1795766400000, 1795766410000, 1795766420000, 1795766430000],
                    "rps": [40, 45, 52, 50], "errorRate": [0.01, 0.02, 0.03, 0.02],
                    "p50Ms": [4, 4.1, 4.4, 4.2], "p99Ms": [30, 33, 38, 35]}}
        """;

    static final String TRACES =
        """
        {"traces": [{"traceId": "4bf92f3577b34da6a3ce929d0e0e4736", "rootService": "gateway",
          "rootName": "POST /orders", "start": "2026-11-27T08:00:00.000120Z", "durationMs": 120.5,
          "spanCount": 5, "services": ["gateway", "orders", "risk"], "error": true}]}
        """;

    static final String TRACE =
        """
        {"traceId": "4bf92f3577b34da6a3ce929d0e0e4736",
         "spans": [
          {"spanId": "a2fb4a1d1a96d312", "parentSpanId": "", "service": "gateway", "name": "POST /orders", "kind": "SERVER",
           "start": "2026-11-27T08:00:00.000120Z", "durationMs": 120.5, "status": "ERROR", "attributes": {"http.response.status_code": 500}},
          {"spanId": "53995c3f42cd8ad8", "parentSpanId": "a2fb4a1d1a96d312", "service": "gateway", "name": "POST orders", "kind": "CLIENT",
           "start": "2026-11-27T08:00:00.002Z", "durationMs": 110, "status": "ERROR", "attributes": {}},
          {"spanId": "b7ad6b7169203331", "parentSpanId": "53995c3f42cd8ad8", "service": "orders", "name": "POST /orders", "kind": "SERVER",
           "start": "2026-11-27T08:00:00.004Z", "durationMs": 105, "status": "ERROR", "attributes": {}},
          {"spanId": "c1d2e3f4a5b6c7d8", "parentSpanId": "b7ad6b7169203331", "service": "orders", "name": "risk.Check", "kind": "CLIENT",
           "start": "2026-11-27T08:00:00.010Z", "durationMs": 30, "status": "ERROR", "attributes": {}},
          {"spanId": "00f067aa0ba902b5", "parentSpanId": "c1d2e3f4a5b6c7d8", "service": "risk", "name": "risk.Check", "kind": "SERVER",
           "start": "2026-11-27T08:00:00.012Z", "durationMs": 26, "status": "ERROR",
           "attributes": {"rpc.system": "grpc", "rpc.grpc.status_code": 14}}],
         "slowestSpanId": "b7ad6b7169203331", "failingSpanId": "00f067aa0ba902b5"}
        """;
  }

  @Test
  @Order(8)
  void loggingOutEndsTheSession() {
    page.navigate(ui + "#/map");
    page.waitForSelector("#map canvas");
    page.click("#logout");
    page.waitForURL("**/ui/login.html**");

    page.navigate(ui + "#/history");
    page.waitForURL("**/ui/login.html**");
    assertThat(scriptErrors).isEmpty();
  }
}
