package dev.firemesh.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dashboard in a real browser, on the running demo: Debian's headless chromium, driven by
 * Playwright, against {@code firemesh demo} as a user starts it (the control plane on embedded
 * PostgreSQL with the sample mesh, every sample service beside its sidecar, the traffic generator;
 * {@link DemoProcess}), started once for the class. The browser logs in through the login page as a
 * person would, watches the map show the demo's services and calls with live numbers, opens a
 * service, searches the trace explorer and opens traces, walks the history, and logs out; the test
 * saves a screenshot of each page to {@code target/screenshots/}. Playwright never downloads a
 * browser: the test uses {@code /usr/bin/chromium} ({@code ./run-tests} installs it).
 *
 * <p>Nothing is faked: every number and span on the pages comes from the demo's own traffic, and
 * the failures the pages show come from the sample Route's fault injection
 * (examples/trading/mesh/orders-route.yaml). The tests wait for conditions, never for fixed times.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DashboardBrowserTest {
  private static final Path EXAMPLE = Path.of("..", "examples", "trading", "mesh");
  private static final Path SCREENSHOTS = Path.of("target", "screenshots");
  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The generator's orders a second: enough for the injected 3% to show within seconds. */
  private static final double ORDER_RATE = 10;

  /** How long the demo's traffic may take to show: a few scrapes and 10 s buckets. */
  private static final Duration TRAFFIC_TIMEOUT = Duration.ofSeconds(60);

  /** The calls every order makes: the generator to orders, orders to its two dependencies. */
  private static final List<String> ORDER_CALLS =
      List.of("gateway->orders", "orders->reference-data", "orders->risk");

  @TempDir static Path tmp;
  static DemoProcess demo;
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
  static void startTheDemoAndABrowser() throws Exception {
    Files.createDirectories(SCREENSHOTS);
    demo = DemoProcess.start(tmp.resolve("demo"), EXAMPLE, ORDER_RATE);
    String dataDir = demo.dataDir().toString();
    adminToken = demo.adminToken();
    ui = URI.create(demo.adminUrl() + "/ui/");

    // History: the demo applied the trading mesh as the bootstrap admin; operator olga adds a
    // change.
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
    if (demo != null) {
      demo.close();
    }
  }

  /** What the control plane itself answers for a GET, with the admin token: status and body. */
  private static HttpResponse<String> api(String path) throws Exception {
    HttpClient https = demo.https();
    return https.send(
        HttpRequest.newBuilder(demo.adminUrl().resolve(path))
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
  void theMapShowsTheDemosServicesAndCallsWithLiveNumbers() throws Exception {
    page.navigate(ui + "#/map");
    page.waitForURL("**/ui/login.html**");
    page.fill("#token", adminToken);
    page.click("#login-form button[type=submit]");
    page.waitForURL(url -> url.contains("/ui/#/map"));
    page.waitForSelector("#map canvas");
    assertThat(page.locator("#who").textContent()).contains("bootstrap-admin");

    // Every call an order makes, with requests flowing, as the demo's traffic reaches the map.
    page.waitForFunction(
        "calls => calls.every(c => { const cell = document.querySelector("
            + "`#map-edges tr[data-edge='${c}'] td[data-field=rps]`);"
            + " return cell && parseFloat(cell.textContent) > 0; })",
        ORDER_CALLS,
        new Page.WaitForFunctionOptions().setTimeout(TRAFFIC_TIMEOUT.toMillis()));
    assertThat(services(page.locator("#map-nodes tr[data-service]")))
        .contains("gateway", "orders", "risk", "reference-data", "market-data");
    assertThat(page.locator("#map-status").textContent()).startsWith("Live");
    assertThat(page.locator("#map-notice").textContent()).isEmpty();

    // The injected faults colour the generator's call to orders (1% or more failing).
    page.waitForFunction(
        "() => { const b = document.querySelector("
            + "\"#map-edges tr[data-edge='gateway->orders'] .badge\");"
            + " return b && (b.classList.contains('warn') || b.classList.contains('bad')); }",
        null,
        new Page.WaitForFunctionOptions().setTimeout(TRAFFIC_TIMEOUT.toMillis()));

    // The stream's next event redraws the numbers in the same document: no reload.
    page.evaluate(
        "() => { window.sameDocument = true;"
            + " document.querySelector(\"#map-edges tr[data-edge='gateway->orders']\")"
            + ".dataset.drawn = 'before'; }");
    String status = page.locator("#map-status").textContent();
    page.waitForFunction(
        "before => { const row = document.querySelector("
            + "\"#map-edges tr[data-edge='gateway->orders']\");"
            + " const now = document.querySelector('#map-status').textContent;"
            + " return window.sameDocument && row && !row.dataset.drawn"
            + " && now !== before && now.startsWith('Live: updated'); }",
        status);
    assertThat(
            Double.parseDouble(
                page.locator("#map-edges tr[data-edge='gateway->orders'] td[data-field=rps]")
                    .textContent()))
        .isPositive();

    // The page shows what the API says: the same calls, with traffic.
    JsonNode graph = JSON.readTree(api("/v1/telemetry/graph?window=1m").body());
    Set<String> calls = new TreeSet<>();
    graph
        .path("edges")
        .forEach(
            e -> {
              if (e.path("rps").asDouble() > 0) {
                calls.add(e.path("source").asText() + "->" + e.path("destination").asText());
              }
            });
    assertThat(calls).containsAll(ORDER_CALLS);
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
  void aClickOnAServiceOpensItsInstancesRoutesPoliciesAndCharts() {
    page.navigate(ui + "#/map");
    page.locator("#map-nodes tr[data-service=orders]").click();

    page.waitForURL(url -> url.endsWith("#/service/orders"));
    assertThat(page.locator("#service-name").textContent()).isEqualTo("orders");
    // The demo's two instances, each registered by its sidecar with its labels, and healthy.
    page.waitForFunction(
        "() => ['orders-v1-1', 'orders-v2-1'].every(id => { const row = document.querySelector("
            + "`#service-instances tr[data-instance='${id}']`);"
            + " return row && row.textContent.includes('healthy')"
            + " && !row.textContent.includes('unhealthy'); })",
        null,
        new Page.WaitForFunctionOptions().setTimeout(TRAFFIC_TIMEOUT.toMillis()));
    assertThat(page.locator("#service-instances tr[data-instance]").count()).isEqualTo(2);
    assertThat(page.locator("#service-instances tr[data-instance=orders-v1-1]").textContent())
        .contains("eu-west", "v1");
    assertThat(page.locator("#service-instances tr[data-instance=orders-v2-1]").textContent())
        .contains("eu-west", "v2");
    assertThat(page.locator("#service-routes").textContent()).contains("orders");
    assertThat(page.locator("#service-policies").textContent()).contains("orders-from-gateway");

    // Three charts, and the requests chart has drawn a line: pixels of its series' own colour.
    page.waitForSelector("#service-charts canvas");
    assertThat(page.locator("#service-charts .uplot").count()).isEqualTo(3);
    page.waitForFunction(
        "() => { const canvas = document.querySelector('#chart-rps canvas');"
            + " if (!canvas) return false;"
            + " const px = canvas.getContext('2d').getImageData(0, 0, canvas.width,"
            + " canvas.height).data; let line = 0;"
            + " for (let i = 0; i < px.length; i += 4) {"
            + "   if (px[i] === 41 && px[i + 1] === 51 && px[i + 2] === 92 && px[i + 3] === 255)"
            + " line++; }"
            + " return line > 20; }",
        null,
        new Page.WaitForFunctionOptions().setTimeout(TRAFFIC_TIMEOUT.toMillis()));
    screenshot(page, "service");
    assertThat(scriptErrors).isEmpty();
  }

  /**
   * The trace explorer on the demo's spans, which its sidecars export to the control plane: a
   * failed trace (an order the Route's fault failed) with its failing span marked, and a trace
   * across services. Without spans from the demo this fails, saying which: it is not skipped.
   */
  @Test
  @Order(4)
  void theTraceExplorerFindsTheDemosTracesAndTheWaterfallMarksTheFailingSpan() {
    JsonNode failed =
        awaitTraces("/v1/telemetry/traces?service=gateway&status=error&limit=1", t -> true);
    JsonNode crossing =
        awaitTraces(
            "/v1/telemetry/traces?service=orders&status=ok&limit=50",
            t -> t.path("services").size() >= 2);

    // A failed order: searched as a user would, opened, its failing span marked.
    page.navigate(ui + "#/traces?service=gateway&status=error");
    page.waitForSelector("#trace-results tr[data-trace-id]");
    assertThat(page.locator("#trace-search input[name=service]").inputValue()).isEqualTo("gateway");
    assertThat(page.locator("#trace-results tr[data-trace-id] .badge.bad").count()).isPositive();
    screenshot(page, "traces");
    page.locator("#trace-results tr[data-trace-id]").first().click();
    page.waitForURL(url -> url.contains("#/trace/"));
    page.waitForSelector("#waterfall .span-row[data-span-id]");
    assertThat(page.locator("#waterfall .span-row.failing").count()).isEqualTo(1);
    assertThat(page.locator("#waterfall .span-row.failing .span-bar").getAttribute("class"))
        .contains("failing");
    page.locator("#waterfall .span-row.failing").click();
    assertThat(page.locator("#span-detail").textContent()).contains("gateway");
    screenshot(page, "trace-failed");

    // A trace across the mesh: spans of at least two services in one waterfall.
    String id = crossing.path("traceId").asText();
    page.navigate(ui + "#/traces?service=orders&status=ok&limit=50");
    page.locator("#trace-results tr[data-trace-id='" + id + "']").click();
    page.waitForURL(url -> url.endsWith("#/trace/" + id));
    page.waitForSelector("#waterfall .span-row[data-span-id]");
    Set<String> services =
        page.locator("#waterfall .span-row[data-service]").all().stream()
            .map(row -> row.getAttribute("data-service"))
            .collect(Collectors.toCollection(TreeSet::new));
    assertThat(services).as("services in the waterfall of trace %s", id).hasSizeGreaterThan(1);
    assertThat(failed.path("error").asBoolean()).isTrue();
    screenshot(page, "trace");
    assertThat(scriptErrors).isEmpty();
  }

  /**
   * The first trace the control plane's store answers for {@code query} that {@code wanted}
   * accepts, once the demo's sidecars have sent one; fails naming what is missing.
   */
  private static JsonNode awaitTraces(String query, Predicate<JsonNode> wanted) {
    AtomicReference<JsonNode> found = new AtomicReference<>();
    await()
        .atMost(TRAFFIC_TIMEOUT)
        .pollInterval(Duration.ofMillis(500))
        .untilAsserted(
            () -> {
              HttpResponse<String> answer = api(query);
              if (answer.statusCode() == 200) {
                for (JsonNode trace : JSON.readTree(answer.body()).path("traces")) {
                  if (wanted.test(trace)) {
                    found.set(trace);
                    return;
                  }
                }
              }
              throw new AssertionError(
                  "no trace from the demo in the control plane's trace store: GET "
                      + query
                      + " answered "
                      + answer.statusCode()
                      + " "
                      + answer.body()
                      + ". The demo's sidecars must export their spans (OTLP, POST /v1/traces)"
                      + " for the trace explorer to show its traces.");
            });
    return found.get();
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
    assertThat(page.locator("#revision-1").textContent()).contains("sample trading mesh");
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

  @Test
  @Order(7)
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
