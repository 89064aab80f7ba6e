package dev.firemesh.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.firemesh.proxy.telemetry.AccessLogSettings;
import dev.firemesh.proxy.telemetry.ExchangeRecord;
import dev.firemesh.proxy.telemetry.Exposition;
import dev.firemesh.proxy.telemetry.ResponseFlag;
import dev.firemesh.proxy.telemetry.Tracing;
import dev.firemesh.proxy.testing.FirstRouteRouter;
import dev.firemesh.proxy.testing.H2Client;
import dev.firemesh.proxy.testing.MeshConfigs;
import dev.firemesh.proxy.testing.RawHttp;
import dev.firemesh.proxy.testing.SidecarPair;
import dev.firemesh.proxy.testing.TestApp;
import dev.firemesh.telemetry.otlp.OtlpHttpExporter;
import dev.firemesh.telemetry.trace.Direction;
import dev.firemesh.telemetry.trace.Resource;
import dev.firemesh.telemetry.trace.Sampler;
import dev.firemesh.telemetry.trace.SpanId;
import dev.firemesh.telemetry.trace.TraceHop;
import dev.firemesh.traffic.config.ClusterConfig;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One record per request, however it ends, on each sidecar it passes: an app of service {@code
 * gateway} calls {@code orders} through its sidecar and the {@code orders} sidecar.
 */
class ExchangeRecordTest {
  private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
  private static final String TRACEPARENT = "00-" + TRACE_ID + "-00f067aa0ba902b7-01";

  @TempDir static Path dir;

  private static final LinkedBlockingQueue<ExchangeRecord> records = new LinkedBlockingQueue<>();
  private static TestApp app;
  private static Sidecar callee;
  private static Sidecar caller;
  private static HttpClient client;

  @BeforeAll
  static void start() throws Exception {
    app = new TestApp().start();
    callee =
        SidecarPair.ephemeral(
                Sidecar.builder()
                    .router(new FirstRouteRouter())
                    .service("orders")
                    .localAppPort(app.port())
                    .exchangeObserver(records::add)
                    .tracing(tracing("orders")))
            .build()
            .start();
    caller =
        SidecarPair.ephemeral(
                Sidecar.builder()
                    .router(new FirstRouteRouter())
                    .service("gateway")
                    .localAppPort(app.port())
                    .exchangeObserver(records::add)
                    .tracing(tracing("gateway"))
                    .accessLog(AccessLogSettings.file(dir.resolve("gateway-access.log"))))
            .build()
            .start();
    callee.apply(MeshConfigs.builder().build("callee-1"));
    caller.apply(
        MeshConfigs.builder()
            .service("orders", "orders")
            .cluster("orders", ClusterConfig.Protocol.HTTP2, callee.inboundAddress().getPort())
            .service("void", "void")
            .cluster("void")
            .build("caller-1"));
    client =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .proxy(ProxySelector.of(caller.outboundAddress()))
            .build();
  }

  /** Tracing whose spans go nowhere: this test reads each hop from its record. */
  private static Tracing tracing(String service) {
    return Tracing.exportingTo(
        Sampler.DEFAULT,
        OtlpHttpExporter.builder(new Resource(service, service + "-1", "test")).build());
  }

  @AfterAll
  static void stop() {
    client.close();
    caller.close();
    callee.close();
    app.close();
  }

  @BeforeEach
  void forgetEarlierRecords() {
    records.clear();
  }

  /** The next {@code count} records, in the order the requests ended. */
  private static List<ExchangeRecord> next(int count) throws InterruptedException {
    List<ExchangeRecord> taken = new ArrayList<>();
    while (taken.size() < count) {
      ExchangeRecord record = records.poll(10, TimeUnit.SECONDS);
      assertThat(record).as("record %d of %d", taken.size() + 1, count).isNotNull();
      taken.add(record);
    }
    return taken;
  }

  private static ExchangeRecord of(List<ExchangeRecord> taken, Direction direction) {
    return taken.stream().filter(r -> r.direction() == direction).findFirst().orElseThrow();
  }

  @Test
  void aForwardedCallIsRecordedOnceOnEachSidecarWithItsPhases() throws Exception {
    long before = System.currentTimeMillis() * 1_000;
    HttpResponse<String> response =
        client.send(
            HttpRequest.newBuilder(URI.create("http://orders/echo?q=1"))
                .header("traceparent", TRACEPARENT)
                .header("x-request-id", "req-1")
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(200);

    List<ExchangeRecord> taken = next(2);
    ExchangeRecord out = of(taken, Direction.OUTBOUND);
    ExchangeRecord in = of(taken, Direction.INBOUND);

    assertThat(out.source()).isEqualTo("gateway");
    assertThat(out.destination()).isEqualTo("orders");
    assertThat(out.route()).isEqualTo("default");
    assertThat(out.cluster()).isEqualTo("orders");
    assertThat(out.method()).isEqualTo("GET");
    assertThat(out.path()).isEqualTo("/echo?q=1");
    assertThat(out.authority()).isEqualTo("orders");
    assertThat(out.protocol()).isEqualTo(ExchangeRecord.Protocol.HTTP_1_1);
    assertThat(out.status()).isEqualTo(200);
    assertThat(out.grpcStatus()).isEqualTo(-1);
    assertThat(out.upstreamHost()).isEqualTo("127.0.0.1:" + callee.inboundAddress().getPort());
    assertThat(out.attempts()).isEqualTo(1);
    assertThat(out.responseBytes()).isEqualTo(response.body().length());
    assertThat(out.requestId()).isEqualTo("req-1");
    assertThat(out.traceId()).isEqualTo(TRACE_ID);
    assertThat(out.flag()).isEqualTo(ResponseFlag.NONE);
    assertThat(out.callerIdentity()).isEmpty();
    assertThat(out.startMicros()).isBetween(before, System.currentTimeMillis() * 1_000);
    assertThat(out.requestSentMicros()).isNotNegative();
    assertThat(out.upstreamHeadersMicros()).isNotNegative();
    assertThat(out.responseTransferMicros()).isNotNegative();
    assertThat(out.totalMicros())
        .isGreaterThanOrEqualTo(out.requestSentMicros() + out.upstreamHeadersMicros());
    // No bound across the two hops: each sidecar stamps its own phases on its own event loop (the
    // callee's ends when its last write is flushed, which may be after the caller has read it
    // all), so a callee's total exceeded the caller's in CI.
    assertThat(in.totalMicros()).isPositive();

    assertThat(in.source()).isEqualTo("unknown"); // plaintext: no verified identity
    assertThat(in.destination()).isEqualTo("orders");
    assertThat(in.route()).isEqualTo("none");
    assertThat(in.cluster()).isEqualTo("local_app");
    assertThat(in.upstreamHost()).isEqualTo("127.0.0.1:" + app.port());
    assertThat(in.status()).isEqualTo(200);
    assertThat(in.requestId()).isEqualTo("req-1");
    assertThat(in.traceId()).isEqualTo(TRACE_ID);
    assertThat(in.path()).isEqualTo("/echo?q=1");

    // One trace, each hop the child of the one before: the caller's app, the caller's sidecar
    // (its span's id went on in traceparent), the callee's sidecar.
    TraceHop outHop = out.trace().orElseThrow();
    TraceHop inHop = in.trace().orElseThrow();
    assertThat(outHop.parentSpanId().map(SpanId::hex)).contains("00f067aa0ba902b7");
    assertThat(inHop.parentSpanId()).contains(outHop.spanId());
    assertThat(inHop.spanId()).isNotEqualTo(outHop.spanId());
    assertThat(inHop.sampled()).as("the caller's sampling decision travels").isTrue();
    assertThat(out.spanId()).isEqualTo(outHop.spanId().hex()).hasSize(16);
  }

  @Test
  void bodyBytesAreCountedBothWays() throws Exception {
    byte[] body = new byte[10_000];
    HttpResponse<String> response =
        client.send(
            HttpRequest.newBuilder(URI.create("http://orders/echo"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(200);

    List<ExchangeRecord> taken = next(2);
    for (ExchangeRecord record : taken) {
      assertThat(record.requestBytes()).as(record.direction().label()).isEqualTo(10_000);
      assertThat(record.responseBytes()).isEqualTo(response.body().length());
      assertThat(record.method()).isEqualTo("POST");
    }
  }

  @Test
  void localRepliesAreRecordedWithTheirReason() throws Exception {
    assertThat(
            client
                .send(
                    HttpRequest.newBuilder(URI.create("http://nowhere/x")).build(),
                    HttpResponse.BodyHandlers.ofString())
                .statusCode())
        .isEqualTo(404);
    ExchangeRecord unknown = next(1).getFirst();
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.flag()).isEqualTo(ResponseFlag.NO_ROUTE);
    assertThat(unknown.destination()).as("not a configured name").isEqualTo("unknown");
    assertThat(unknown.authority()).isEqualTo("nowhere");
    assertThat(unknown.upstreamHost()).isEmpty();
    assertThat(unknown.attempts()).isZero();
    assertThat(unknown.requestSentMicros()).isEqualTo(-1);
    assertThat(unknown.upstreamHeadersMicros()).isEqualTo(-1);
    assertThat(unknown.responseBytes()).isPositive(); // the reason, as text

    assertThat(
            client
                .send(
                    HttpRequest.newBuilder(URI.create("http://void/x")).build(),
                    HttpResponse.BodyHandlers.ofString())
                .statusCode())
        .isEqualTo(503);
    ExchangeRecord noEndpoint = next(1).getFirst();
    assertThat(noEndpoint.flag()).isEqualTo(ResponseFlag.NO_HEALTHY_UPSTREAM);
    assertThat(noEndpoint.destination()).isEqualTo("void");
    assertThat(noEndpoint.cluster()).isEqualTo("void");
    assertThat(noEndpoint.direction()).isEqualTo(Direction.OUTBOUND);
    assertThat(records).isEmpty(); // nothing reached the callee
  }

  @Test
  void aRequestRefusedBeforeItCouldBeReadIsRecordedToo() throws Exception {
    try (RawHttp raw = RawHttp.connect(caller.outboundAddress())) {
      RawHttp.Response refused =
          raw.send("GET /twice HTTP/1.1\r\nHost: orders\r\nHost: risk\r\n\r\n").read();
      assertThat(refused.status()).isEqualTo(400);
    }

    ExchangeRecord record = next(1).getFirst();
    assertThat(record.status()).isEqualTo(400);
    assertThat(record.flag()).isEqualTo(ResponseFlag.DOWNSTREAM_PROTOCOL_ERROR);
    assertThat(record.method()).isEqualTo("GET");
    assertThat(record.path()).isEqualTo("/twice");
  }

  @Test
  void anHttp2CallIsRecordedAsHttp2AndAFailedHopWhereItFailed() throws Exception {
    // The callee's sidecar speaks to its app in the caller's protocol, and this app has no h2c.
    try (H2Client h2 = H2Client.connect(caller.outboundAddress())) {
      assertThat(h2.send(H2Client.request("GET", "orders", "/echo"), new byte[0]).status())
          .isEqualTo(503);
    }

    List<ExchangeRecord> taken = next(2);
    ExchangeRecord out = of(taken, Direction.OUTBOUND);
    ExchangeRecord in = of(taken, Direction.INBOUND);
    assertThat(taken)
        .allSatisfy(
            r -> {
              assertThat(r.protocol()).isEqualTo(ExchangeRecord.Protocol.HTTP_2);
              assertThat(r.status()).isEqualTo(503);
              assertThat(r.path()).isEqualTo("/echo");
              assertThat(r.attempts()).isEqualTo(1);
            });
    assertThat(in.flag()).isEqualTo(ResponseFlag.UPSTREAM_CONNECT_FAILURE);
    assertThat(in.upstreamHost()).isEqualTo("127.0.0.1:" + app.port());
    assertThat(in.upstreamHeadersMicros()).isEqualTo(-1);
    assertThat(out.flag())
        .as("the peer answered; this hop did its job")
        .isEqualTo(ResponseFlag.NONE);
    assertThat(out.upstreamHeadersMicros()).isNotNegative();
    assertThat(out.requestId()).matches("[0-9a-f]{32}").isEqualTo(in.requestId());
  }

  @Test
  void goldenMetricsFollowTheExistingExpositionAndTheAccessLogHasTheLines() throws Exception {
    for (int i = 0; i < 3; i++) {
      client.send(
          HttpRequest.newBuilder(URI.create("http://orders/status?code=503")).build(),
          HttpResponse.BodyHandlers.discarding());
    }
    next(6);

    String page;
    try (HttpClient admin = HttpClient.newHttpClient()) {
      page =
          admin
              .send(
                  HttpRequest.newBuilder(
                          URI.create(
                              "http://127.0.0.1:"
                                  + caller.adminAddress().getPort()
                                  + "/stats/prometheus"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString())
              .body();
    }
    Exposition exposition = new Exposition(page);
    assertThat(exposition.types)
        .containsEntry("firemesh_proxy_responses_total", "counter")
        .containsEntry("firemesh_requests_total", "counter")
        .containsEntry("firemesh_request_duration_seconds", "histogram");
    assertThat(
            exposition.value(
                "firemesh_requests_total",
                Exposition.labels(
                    "direction",
                    "outbound",
                    "source",
                    "gateway",
                    "destination",
                    "orders",
                    "route",
                    "default",
                    "status_class",
                    "5xx",
                    "grpc_code",
                    "none")))
        .isGreaterThanOrEqualTo(3.0);

    Path log = dir.resolve("gateway-access.log");
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                Files.readAllLines(log).stream()
                        .filter(l -> l.contains("\"path\":\"/status?code=503\""))
                        .count()
                    == 3);
    JsonNode line =
        new ObjectMapper()
            .readTree(
                Files.readAllLines(log).stream()
                    .filter(l -> l.contains("/status?code=503"))
                    .findFirst()
                    .orElseThrow());
    assertThat(line.get("status").asInt()).isEqualTo(503);
    assertThat(line.get("direction").asText()).isEqualTo("outbound");
    assertThat(line.get("destination").asText()).isEqualTo("orders");
    assertThat(line.get("time").asText())
        .matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}Z");
  }
}
