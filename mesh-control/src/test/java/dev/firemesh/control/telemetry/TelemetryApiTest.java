package dev.firemesh.control.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.firemesh.api.identity.SpiffeId;
import dev.firemesh.control.ControlPlane;
import dev.firemesh.control.ControlPlaneFiles;
import dev.firemesh.control.admin.AdminJson;
import dev.firemesh.control.admin.TestCa;
import dev.firemesh.control.ca.CertificateAuthority;
import dev.firemesh.identity.KeyPairs;
import dev.firemesh.identity.Pem;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.trace.v1.Span.SpanKind;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The telemetry API through a real control plane (embedded PostgreSQL, HTTPS on loopback): OTLP in
 * as an exporter sends it, traces and the service graph out as the dashboard reads them.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TelemetryApiTest {
  private static final ObjectMapper JSON = AdminJson.mapper();
  private static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";

  @TempDir static Path dataDir;
  static ControlPlane plane;
  static HttpClient http;
  static String admin;
  static String viewer;

  @BeforeAll
  static void start() throws Exception {
    plane = ControlPlane.start(ControlPlane.Options.defaults(dataDir).withPorts(0, 0));
    admin = plane.adminToken();
    http = client(null);
    HttpResponse<String> created =
        send(
            admin,
            "POST",
            "/v1/operators",
            "application/json",
            JSON.createObjectNode()
                .put("name", "vera")
                .put("role", "viewer")
                .toString()
                .getBytes());
    viewer = JSON.readTree(created.body()).path("token").asText();
  }

  @AfterAll
  static void stop() {
    plane.close();
  }

  private static HttpClient client(TestCa.Credential credential) throws Exception {
    List<X509Certificate> roots =
        Pem.decodeCertificates(Files.readString(dataDir.resolve(ControlPlaneFiles.TRUST_BUNDLE)));
    return TestCa.client(roots, credential);
  }

  private static HttpResponse<String> send(
      String token, String method, String path, String type, byte[] body) throws Exception {
    return send(http, token, method, path, type, body, HttpResponse.BodyHandlers.ofString());
  }

  private static <T> HttpResponse<T> send(
      HttpClient client,
      String token,
      String method,
      String path,
      String type,
      byte[] body,
      HttpResponse.BodyHandler<T> handler)
      throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(plane.adminUrl() + path))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofByteArray(body));
    if (type != null) {
      request.header("Content-Type", type);
    }
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return client.send(request.build(), handler);
  }

  private static JsonNode get(String path) throws Exception {
    HttpResponse<String> response = send(viewer, "GET", path, null, null);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return JSON.readTree(response.body());
  }

  @Test
  void spansSentAsProtobufAreSearchableAndComeBackAsOneTrace() throws Exception {
    byte[] export =
        Otlp.request(
                Otlp.resource(
                    "gateway",
                    List.of(
                        Otlp.span(
                            TRACE,
                            "00f067aa0ba902b7",
                            "",
                            "POST /orders",
                            SpanKind.SPAN_KIND_SERVER,
                            0,
                            50,
                            false))),
                Otlp.resource(
                    "orders",
                    List.of(
                        Otlp.span(
                            TRACE,
                            "1111111111111111",
                            "00f067aa0ba902b7",
                            "POST /orders",
                            SpanKind.SPAN_KIND_SERVER,
                            2,
                            48,
                            true),
                        Otlp.span(
                            TRACE,
                            "2222222222222222",
                            "1111111111111111",
                            "risk",
                            SpanKind.SPAN_KIND_CLIENT,
                            5,
                            45,
                            true),
                        // no span id: rejected alone
                        Otlp.span(
                                TRACE,
                                "3333333333333333",
                                "1111111111111111",
                                "bad",
                                SpanKind.SPAN_KIND_CLIENT,
                                5,
                                45,
                                false)
                            .toBuilder()
                            .clearSpanId()
                            .build())))
            .toByteArray();

    HttpResponse<byte[]> response =
        send(
            http,
            admin,
            "POST",
            "/v1/traces",
            "application/x-protobuf",
            export,
            HttpResponse.BodyHandlers.ofByteArray());

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).contains("application/x-protobuf");
    ExportTraceServiceResponse answer = ExportTraceServiceResponse.parseFrom(response.body());
    assertThat(answer.getPartialSuccess().getRejectedSpans()).isEqualTo(1);
    assertThat(answer.getPartialSuccess().getErrorMessage())
        .contains("resourceSpans[1].scopeSpans[0].spans[2]: span id must be 8 bytes");

    JsonNode found = get("/v1/telemetry/traces?service=orders&status=error&minDurationMs=10");
    assertThat(found.path("traces")).hasSize(1);
    JsonNode summary = found.path("traces").get(0);
    assertThat(summary.path("traceId").asText()).isEqualTo(TRACE);
    assertThat(summary.path("rootService").asText()).isEqualTo("gateway");
    assertThat(summary.path("rootName").asText()).isEqualTo("POST /orders");
    assertThat(summary.path("durationMs").asDouble()).isEqualTo(50.0);
    assertThat(summary.path("spanCount").asInt()).isEqualTo(3);
    assertThat(summary.path("services").toString()).isEqualTo("[\"gateway\",\"orders\"]");
    assertThat(summary.path("error").asBoolean()).isTrue();
    assertThat(summary.path("start").asText()).endsWith("Z");
    assertThat(get("/v1/telemetry/traces?status=ok").path("traces")).isEmpty();

    JsonNode trace = get("/v1/telemetry/traces/" + TRACE.toUpperCase());
    assertThat(trace.path("spans")).hasSize(3);
    JsonNode risk = trace.path("spans").get(2);
    assertThat(risk.path("spanId").asText()).isEqualTo("2222222222222222");
    assertThat(risk.path("parentSpanId").asText()).isEqualTo("1111111111111111");
    assertThat(risk.path("service").asText()).isEqualTo("orders");
    assertThat(risk.path("kind").asText()).isEqualTo("client");
    assertThat(risk.path("durationMs").asDouble()).isEqualTo(40.0);
    assertThat(risk.path("status").asText()).isEqualTo("error");
    assertThat(risk.path("attributes").path("http.response.status_code").asLong()).isEqualTo(503);
    assertThat(trace.path("slowestSpanId").asText()).isEqualTo("2222222222222222");
    assertThat(trace.path("failingSpanId").asText()).isEqualTo("2222222222222222");

    assertThat(
            send(viewer, "GET", "/v1/telemetry/traces/" + "0".repeat(31) + "1", null, null)
                .statusCode())
        .isEqualTo(404);
    HttpResponse<String> metrics = send(viewer, "GET", "/metrics", null, null);
    assertThat(metrics.body())
        .containsPattern("firemesh_telemetry_spans_received_total [1-9]")
        .containsPattern("firemesh_telemetry_spans_rejected_total [1-9]")
        .contains("firemesh_telemetry_trace_store_budget_bytes 67108864")
        .contains("firemesh_ca_svids_issued_total"); // the CA's families are still there
  }

  @Test
  void aWorkloadSendsItsOwnServicesSpansAsGzippedJsonOnly() throws Exception {
    SpiffeId orders = new SpiffeId("firemesh.local", "prod", "orders");
    KeyPair keys = KeyPairs.generate();
    CertificateAuthority.IssuedSvid svid =
        plane.certificateAuthority().issue(keys.getPublic(), orders);
    HttpClient workload = client(new TestCa.Credential(keys, svid.chain()));
    String json =
        """
        {"resourceSpans":[
          {"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"orders"}}]},
           "scopeSpans":[{"spans":[{"traceId":"%1$s","spanId":"aaaaaaaaaaaaaaaa","name":"own",
             "kind":"SPAN_KIND_SERVER","startTimeUnixNano":"1800000000000000000",
             "endTimeUnixNano":"1800000000001000000"}]}]},
          {"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"risk"}}]},
           "scopeSpans":[{"spans":[{"traceId":"%1$s","spanId":"bbbbbbbbbbbbbbbb","name":"forged",
             "startTimeUnixNano":"1800000000000000000","endTimeUnixNano":"1800000000001000000"}]}]}]}
        """
            .formatted("5bf92f3577b34da6a3ce929d0e0e4736");
    ByteArrayOutputStream gzipped = new ByteArrayOutputStream();
    try (GZIPOutputStream out = new GZIPOutputStream(gzipped)) {
      out.write(json.getBytes());
    }
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(plane.adminUrl() + "/v1/traces"))
            .header("Content-Type", "application/json")
            .header("Content-Encoding", "gzip")
            .POST(HttpRequest.BodyPublishers.ofByteArray(gzipped.toByteArray()))
            .build();

    HttpResponse<String> response = workload.send(request, HttpResponse.BodyHandlers.ofString());

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    JsonNode partial = JSON.readTree(response.body()).path("partialSuccess");
    assertThat(partial.path("rejectedSpans").asText()).isEqualTo("1");
    assertThat(partial.path("errorMessage").asText())
        .contains("1 spans name another service than orders");
    JsonNode trace = get("/v1/telemetry/traces/5bf92f3577b34da6a3ce929d0e0e4736");
    assertThat(trace.path("spans")).extracting(s -> s.path("name").asText()).containsExactly("own");
    // a workload reads nothing
    assertThat(
            send(
                    workload,
                    null,
                    "GET",
                    "/v1/telemetry/graph",
                    null,
                    null,
                    HttpResponse.BodyHandlers.ofString())
                .statusCode())
        .isEqualTo(403);
  }

  @Test
  void garbageWrongTypesAndViewersAreRefusedWithReasons() throws Exception {
    HttpResponse<String> garbage =
        send(
            admin,
            "POST",
            "/v1/traces",
            "application/x-protobuf",
            new byte[] {0x0a, (byte) 0xff, 0x01});
    assertThat(garbage.statusCode()).isEqualTo(400);
    assertThat(JSON.readTree(garbage.body()).path("error").asText()).isEqualTo("malformed_otlp");

    HttpResponse<String> text = send(admin, "POST", "/v1/traces", "text/plain", "hello".getBytes());
    assertThat(text.statusCode()).isEqualTo(415);
    assertThat(JSON.readTree(text.body()).path("message").asText())
        .contains("application/x-protobuf or application/json, got text/plain");

    assertThat(send(viewer, "POST", "/v1/traces", "application/json", "{}".getBytes()).statusCode())
        .isEqualTo(403);
    assertThat(send(viewer, "GET", "/v1/telemetry/graph?window=2m", null, null).statusCode())
        .isEqualTo(400);
    assertThat(send(viewer, "GET", "/v1/telemetry/traces?limit=0", null, null).statusCode())
        .isEqualTo(400);
    assertThat(send(null, "GET", "/v1/telemetry/graph", null, null).statusCode()).isEqualTo(401);
  }

  @Test
  void theGraphAndAServiceShowRegisteredInstancesBeforeAnyTraffic() throws Exception {
    ObjectNode registration =
        JSON.createObjectNode()
            .put("service", "market-data")
            .put("instanceId", "md-1")
            .put("address", "127.0.0.1")
            .put("port", 9100);
    registration
        .putObject("labels")
        .put("zone", "eu-west-1a")
        .put("region", "eu-west-1")
        .put("version", "v2");
    assertThat(
            send(
                    admin,
                    "POST",
                    "/v1/instances",
                    "application/json",
                    registration.toString().getBytes())
                .statusCode())
        .isEqualTo(200);

    // The collector reads the registry every round (5 s by default).
    JsonNode node = null;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (node == null && System.nanoTime() < deadline) {
      for (JsonNode n : get("/v1/telemetry/graph?window=10s").path("nodes")) {
        if (n.path("service").asText().equals("market-data")) {
          node = n;
        }
      }
      if (node == null) {
        Thread.sleep(200);
      }
    }
    assertThat(node).as("market-data in the graph").isNotNull();
    assertThat(node.path("instances").asInt()).isEqualTo(1);
    assertThat(node.path("healthy").asInt()).isEqualTo(1);
    assertThat(node.path("rps").asDouble()).isZero();
    assertThat(node.path("p99Ms").isNull()).isTrue();
    JsonNode graph = get("/v1/telemetry/graph?window=5m");
    assertThat(graph.path("window").asText()).isEqualTo("5m");
    assertThat(graph.path("edges").isArray()).isTrue();

    JsonNode service = get("/v1/telemetry/services/market-data");
    JsonNode instance = service.path("instances").get(0);
    assertThat(instance.path("id").asText()).isEqualTo("md-1");
    assertThat(instance.path("port").asInt()).isEqualTo(9100);
    assertThat(instance.path("health").asText()).isEqualTo("healthy");
    assertThat(instance.path("locality").asText()).isEqualTo("eu-west-1/eu-west-1a");
    assertThat(instance.path("version").asText()).isEqualTo("v2");
    assertThat(service.path("series").path("t")).hasSize(30);
    assertThat(service.path("series").path("p99Ms")).hasSize(30);
    assertThat(service.path("routes").isArray()).isTrue();
    assertThat(send(viewer, "GET", "/v1/telemetry/services/nowhere", null, null).statusCode())
        .isEqualTo(404);
  }

  @Test
  void theStreamSendsGraphEventsUntilTheClientGoes() throws Exception {
    HttpResponse<Stream<String>> response =
        send(
            http,
            viewer,
            "GET",
            "/v1/telemetry/stream",
            null,
            null,
            HttpResponse.BodyHandlers.ofLines());
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type"))
        .hasValueSatisfying(t -> assertThat(t).startsWith("text/event-stream"));
    try (Stream<String> lines = response.body()) {
      Iterator<String> it = lines.iterator();
      for (int event = 0; event < 2; event++) {
        assertThat(it.next()).isEqualTo("event: graph");
        String data = it.next();
        assertThat(data).startsWith("data: ");
        JsonNode graph = JSON.readTree(data.substring("data: ".length()));
        assertThat(graph.path("window").asText()).isEqualTo("1m");
        assertThat(graph.path("nodes").isArray()).isTrue();
        assertThat(it.next()).isEmpty();
      }
    }
  }
}
