package dev.firemesh.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.firemesh.cli.client.AdminClient;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A sidecar's telemetry as an operator reads it, through two real sidecars: the gateway app calls
 * {@code orders} (whose app fails every fourth request), and both sidecars count the edge in their
 * golden metrics (the caller's outbound, the callee's inbound with the caller's verified identity)
 * and write one JSON access log line per request, with the same request id on both sides.
 */
class TelemetryMeshTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern SAMPLE =
      Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{[^}]*})? (\\S+)");
  private static final int CALLS = 20;
  private static final String SAMPLED_TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";

  @TempDir Path tmp;

  @Test
  void bothSidecarsCountTheEdgeAndLogEveryRequest() throws Exception {
    try (Closer resources = new Closer()) {
      ControlPlaneProcess control =
          resources.add(ControlPlaneProcess.start(tmp.resolve("control")));
      control
          .client()
          .post(
              "/v1/apply",
              ChildProcesses.applyBody(
                  "telemetry.yaml",
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
                  kind: Route
                  metadata: {name: orders}
                  spec:
                    service: orders
                    rules:
                      - name: main
                        destinations: [{service: orders}]
                  """));
      LocalApp orders = resources.add(LocalApp.failing("orders", 4));
      LocalApp gatewayApp = resources.add(LocalApp.start("gateway"));
      Path work = tmp.resolve("sidecars");
      Path gatewayLog = work.resolve("gateway-access.log");
      Path ordersLog = work.resolve("orders-access.log");
      List<SidecarProcess> sidecars =
          resources
              .add(new Fleet())
              .startTogether(
                  List.of(
                      sidecar(control, work, "gateway", gatewayApp.port(), gatewayLog),
                      sidecar(control, work, "orders", orders.port(), ordersLog)));
      SidecarProcess gateway = sidecars.get(0);
      SidecarProcess callee = sidecars.get(1);
      Fleet.awaitRouting(gateway, "http://orders/who", List.of("orders"));

      Map<String, String> outbound =
          Map.of("direction", "outbound", "source", "gateway", "destination", "orders");
      Map<String, String> inbound =
          Map.of("direction", "inbound", "source", "gateway", "destination", "orders");
      Map<String, Double> gatewayBefore = scrape(gateway.admin());
      Map<String, Double> ordersBefore = scrape(callee.admin());

      HttpClient client =
          HttpClient.newBuilder().proxy(ProxySelector.of(gateway.outbound())).build();
      int failed = 0;
      int[] statuses = new int[CALLS];
      for (int i = 0; i < CALLS; i++) {
        HttpRequest.Builder request =
            HttpRequest.newBuilder(URI.create("http://orders/orders/" + i))
                .header("x-request-id", "telemetry-" + i);
        if (i == 0) {
          // The app is in a trace its caller sampled: the sidecars continue it.
          request.header("traceparent", "00-" + SAMPLED_TRACE + "-00f067aa0ba902b7-01");
        }
        HttpResponse<String> response =
            client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        statuses[i] = response.statusCode();
        failed += response.statusCode() == 500 ? 1 : 0;
      }
      assertThat(failed).as("every fourth of 20 in a row").isEqualTo(5);

      // Golden metrics: the same edge, counted by each side, labelled from config and identity.
      Map<String, Double> gatewayAfter = scrape(gateway.admin());
      Map<String, Double> ordersAfter = scrape(callee.admin());
      assertThat(
              delta(
                  gatewayBefore, gatewayAfter, "firemesh_requests_total", outbound, "main", "2xx"))
          .isEqualTo(15);
      assertThat(
              delta(
                  gatewayBefore, gatewayAfter, "firemesh_requests_total", outbound, "main", "5xx"))
          .isEqualTo(5);
      assertThat(
              delta(
                  gatewayBefore,
                  gatewayAfter,
                  "firemesh_request_duration_seconds_count",
                  outbound,
                  "main",
                  null))
          .isEqualTo(CALLS);
      assertThat(
              delta(ordersBefore, ordersAfter, "firemesh_requests_total", inbound, "none", "2xx"))
          .isEqualTo(15);
      assertThat(
              delta(ordersBefore, ordersAfter, "firemesh_requests_total", inbound, "none", "5xx"))
          .isEqualTo(5);
      assertThat(
              delta(
                  ordersBefore,
                  ordersAfter,
                  "firemesh_request_duration_seconds_count",
                  inbound,
                  "none",
                  null))
          .isEqualTo(CALLS);
      assertThat(
              delta(
                  ordersBefore,
                  ordersAfter,
                  "firemesh_response_bytes_total",
                  inbound,
                  "none",
                  null))
          .isEqualTo(CALLS * "orders".length());
      // the existing families are still there, as they were
      assertThat(gatewayAfter)
          .containsKey(
              "firemesh_proxy_responses_total{listener=\"outbound\",status_class=\"5xx\"}");

      // Access logs: one JSON line per request on each side, found by request id.
      Map<String, JsonNode> out = awaitLines(gatewayLog);
      Map<String, JsonNode> in = awaitLines(ordersLog);
      for (int i = 0; i < CALLS; i++) {
        String id = "telemetry-" + i;
        JsonNode o = out.get(id);
        JsonNode n = in.get(id);
        int status = statuses[i];
        assertThat(o).as(id).isNotNull();
        assertThat(n).as(id).isNotNull();
        assertThat(o.get("direction").asText()).isEqualTo("outbound");
        assertThat(o.get("source").asText()).isEqualTo("gateway");
        assertThat(o.get("destination").asText()).isEqualTo("orders");
        assertThat(o.get("route").asText()).isEqualTo("main");
        assertThat(o.get("method").asText()).isEqualTo("GET");
        assertThat(o.get("path").asText()).isEqualTo("/orders/" + i);
        assertThat(o.get("authority").asText()).isEqualTo("orders");
        assertThat(o.get("upstream").asText())
            .isEqualTo(callee.inbound().getHostString() + ":" + callee.inbound().getPort());
        assertThat(o.get("caller").isNull()).isTrue();
        assertThat(n.get("direction").asText()).isEqualTo("inbound");
        assertThat(n.get("source").asText()).isEqualTo("gateway");
        assertThat(n.get("caller").asText()).startsWith("spiffe://").endsWith("/svc/gateway");
        assertThat(n.get("upstream").asText()).isEqualTo("127.0.0.1:" + orders.port());
        assertThat(n.get("path").asText()).isEqualTo("/orders/" + i);
        for (JsonNode line : List.of(o, n)) {
          assertThat(line.get("status").asInt()).as(id).isEqualTo(status);
          assertThat(line.get("response_bytes").asLong()).isEqualTo("orders".length());
          assertThat(line.get("protocol").asText()).isEqualTo("HTTP/1.1");
          assertThat(line.get("time").asText())
              .matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}Z");
          assertThat(line.get("duration_us").asLong()).isPositive();
          assertThat(line.get("upstream_headers_us").asLong()).isNotNegative();
          assertThat(line.get("flags").isNull()).isTrue();
        }
        // One trace per request (the gateway's sidecar starts it), continued by the callee's.
        assertThat(o.get("trace_id").asText()).hasSize(32).isEqualTo(n.get("trace_id").asText());
        assertThat(o.get("span_id").asText()).hasSize(16).isNotEqualTo(n.get("span_id").asText());
      }
      assertThat(out.get("telemetry-0").get("trace_id").asText()).isEqualTo(SAMPLED_TRACE);

      // Spans reach the control plane: every failed request's (whatever the sampling), and the
      // sampled trace's; each trace is the gateway's CLIENT span and the callee's SERVER span.
      AdminClient admin = control.client();
      for (int i = 0; i < CALLS; i++) {
        if (statuses[i] != 500) {
          continue;
        }
        String traceId = out.get("telemetry-" + i).get("trace_id").asText();
        await() // each sidecar sends its spans in batches, at least every second
            .atMost(Duration.ofSeconds(30))
            .ignoreExceptions()
            .until(() -> admin.get("/v1/telemetry/traces/" + traceId).path("spans").size() == 2);
        JsonNode trace = admin.get("/v1/telemetry/traces/" + traceId);
        JsonNode client0 = span(trace, "gateway");
        JsonNode server = span(trace, "orders");
        assertThat(client0.path("kind").asText()).isEqualToIgnoringCase("client");
        assertThat(server.path("kind").asText()).isEqualToIgnoringCase("server");
        assertThat(server.path("parentSpanId").asText()).isEqualTo(client0.path("spanId").asText());
        assertThat(server.path("spanId").asText())
            .isEqualTo(in.get("telemetry-" + i).get("span_id").asText());
        assertThat(trace.path("failingSpanId").asText()).isEqualTo(server.path("spanId").asText());
        assertThat(server.path("attributes").path("http.response.status_code").asInt())
            .isEqualTo(500);
      }
      await()
          .atMost(Duration.ofSeconds(30))
          .ignoreExceptions()
          .until(
              () -> admin.get("/v1/telemetry/traces/" + SAMPLED_TRACE).path("spans").size() == 2);
      assertThat(
              admin
                  .get("/v1/telemetry/traces?status=error&service=orders&limit=100")
                  .path("traces"))
          .as("every failed call's trace is found by a search")
          .hasSizeGreaterThanOrEqualTo(5);
      JsonNode sampled = admin.get("/v1/telemetry/traces/" + SAMPLED_TRACE);
      assertThat(span(sampled, "gateway").path("parentSpanId").asText())
          .isEqualTo("00f067aa0ba902b7");
    }
  }

  private static JsonNode span(JsonNode trace, String service) {
    for (JsonNode span : trace.path("spans")) {
      if (span.path("service").asText().equals(service)) {
        return span;
      }
    }
    throw new AssertionError("no span of " + service + " in " + trace);
  }

  private static Callable<SidecarProcess> sidecar(
      ControlPlaneProcess control, Path work, String service, int appPort, Path accessLog) {
    List<String> options = new ArrayList<>(Fleet.options(appPort));
    options.addAll(List.of("--access-log", accessLog.toString(), "--access-log-format", "json"));
    return () -> SidecarProcess.start(control.dataDir(), work, service, service + "-1", options);
  }

  /** The sidecar's exposition: each sample's value by its name and labels as written. */
  private static Map<String, Double> scrape(InetSocketAddress admin) throws Exception {
    Map<String, Double> samples = new HashMap<>();
    try (HttpClient http = HttpClient.newHttpClient()) {
      String page =
          http.send(
                  HttpRequest.newBuilder(
                          URI.create(
                              "http://"
                                  + admin.getHostString()
                                  + ":"
                                  + admin.getPort()
                                  + "/stats/prometheus"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString())
              .body();
      for (String line : page.lines().toList()) {
        Matcher m = SAMPLE.matcher(line);
        if (!line.startsWith("#") && m.matches()) {
          samples.put(
              m.group(1) + (m.group(2) == null ? "" : m.group(2)), Double.valueOf(m.group(3)));
        }
      }
    }
    return samples;
  }

  /**
   * How much the sample of {@code name} whose labels are {@code edge}, {@code route} and (for
   * requests) {@code statusClass} with no gRPC code grew; a sample not there before counts from 0.
   */
  private static long delta(
      Map<String, Double> before,
      Map<String, Double> after,
      String name,
      Map<String, String> edge,
      String route,
      String statusClass) {
    Map<String, String> labels = new java.util.TreeMap<>(edge);
    labels.put("route", route);
    if (statusClass != null) {
      labels.put("status_class", statusClass);
      labels.put("grpc_code", "none");
    }
    StringBuilder key = new StringBuilder(name).append('{');
    labels.forEach((k, v) -> key.append(k).append("=\"").append(v).append("\","));
    key.setLength(key.length() - 1);
    key.append('}');
    assertThat(after).as("a sample %s", key).containsKey(key.toString());
    return Math.round(after.get(key.toString()) - before.getOrDefault(key.toString(), 0.0));
  }

  /** The log's lines by request id, once all {@link #CALLS} of the test's are in. */
  private static Map<String, JsonNode> awaitLines(Path log) {
    Map<String, JsonNode> lines = new HashMap<>();
    await()
        .atMost(Duration.ofSeconds(20))
        .ignoreExceptions()
        .until(
            () -> {
              lines.clear();
              for (String line : Files.readAllLines(log)) {
                JsonNode parsed = JSON.readTree(line);
                String id = parsed.path("request_id").asText();
                if (id.startsWith("telemetry-")) {
                  assertThat(lines.put(id, parsed)).as("one line per request: " + id).isNull();
                }
              }
              return lines.size() == CALLS;
            });
    return lines;
  }
}
