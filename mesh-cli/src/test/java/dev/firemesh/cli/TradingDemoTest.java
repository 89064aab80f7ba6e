package dev.firemesh.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.firemesh.control.ControlPlane;
import dev.firemesh.control.ControlPlaneFiles;
import dev.firemesh.examples.trading.marketdata.grpc.MarketDataApi;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCalls;
import java.io.IOException;
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
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo as {@code firemesh demo} starts it: the real sample mesh (examples/trading/mesh), an
 * embedded PostgreSQL in a fresh directory, and every sample service and sidecar as a process of
 * its own, on free ports. Calls go through the gateway's sidecar as a user's curl would; after
 * {@code close()} (checked once all tests ran) no process the demo started is left.
 */
class TradingDemoTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path SAMPLE_MESH =
      Path.of("..", "examples", "trading", "mesh").toAbsolutePath().normalize();

  @TempDir static Path dataDir;
  private static TradingDemo demo;
  private static HttpClient gateway;

  @BeforeAll
  static void start() throws Exception {
    demo =
        TradingDemo.start(
            new TradingDemo.Settings(
                ControlPlane.Options.defaults(dataDir).withPorts(0, 0),
                SAMPLE_MESH,
                0,
                10,
                Duration.ofSeconds(90)));
    String[] outbound = demo.gateway().addresses().outbound().split(":");
    gateway =
        HttpClient.newBuilder()
            .proxy(
                ProxySelector.of(new InetSocketAddress(outbound[0], Integer.parseInt(outbound[1]))))
            .build();
  }

  /**
   * Fail static, as a user tries it: the control plane process is killed outright and the order
   * flow goes on; a control plane started again on the same data directory and ports reclaims the
   * orphaned PostgreSQL and the sidecars rejoin it. Then, after {@code close()}, no process the
   * demo started is left, and the sidecars deregistered on their way out.
   */
  @AfterAll
  static void killingTheControlPlaneStopsNoCallAndClosingStopsEveryProcess() throws Exception {
    if (demo == null) {
      return;
    }
    List<Long> pids = demo.children().stream().map(ChildProcess::pid).toList();
    assertThat(pids).hasSize(14).allMatch(TradingDemoTest::alive);

    DemoControlPlane plane = demo.controlPlane();
    URI admin = URI.create(plane.adminUrl());
    int xdsPort = plane.xdsPort();
    long planePid = plane.pid();
    ProcessHandle.of(planePid).ifPresent(ProcessHandle::destroyForcibly);
    await().atMost(Duration.ofSeconds(10)).until(() -> !alive(planePid));
    JsonNode before = JSON.readTree(get("http://gateway/stats").body());
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                JSON.readTree(get("http://gateway/stats").body()).path("sent").asLong()
                    > before.path("sent").asLong() + 10);
    JsonNode during = JSON.readTree(get("http://gateway/stats").body());
    // Nothing broke; the Route's injected faults go on (the sidecars keep their configuration)
    // and are counted apart, under "injected".
    assertThat(during.path("failed").asLong()).isEqualTo(before.path("failed").asLong());
    assertThat(during.path("accepted").asLong()).isGreaterThan(before.path("accepted").asLong());
    gateway.close();

    try (ControlPlane again =
        ControlPlane.start(
            ControlPlane.Options.defaults(dataDir).withPorts(admin.getPort(), xdsPort))) {
      await().atMost(Duration.ofSeconds(30)).until(() -> again.registry().instances().size() == 7);
      demo.close();

      assertThat(pids).noneMatch(TradingDemoTest::alive);
      // The sidecars deregistered on their way out, rather than leaving leases to lapse.
      assertThat(again.registry().instances()).isEmpty();
    }
    assertThat(dataDir.resolve("pg").resolve("postmaster.pid")).doesNotExist();
    assertThat(dataDir.resolve(ControlPlaneFiles.ADDRESSES)).doesNotExist();
  }

  @Test
  void everyInstanceRunsInItsOwnProcessBesideItsOwnSidecar() throws Exception {
    assertThat(demo.instances())
        .extracting(TradingDemo.Instance::id)
        .containsExactly(
            "reference-data-v1-1",
            "market-data-v1-1",
            "risk-v1-1",
            "risk-v1-2",
            "orders-v1-1",
            "orders-v2-1",
            "gateway-v1-1");
    assertThat(demo.children()).hasSize(14).allMatch(ChildProcess::alive);
    assertThat(demo.children().stream().map(ChildProcess::pid).distinct()).hasSize(14);
    // Registered where each sidecar listens, by the sidecar process itself.
    assertThat(
            java.util.stream.StreamSupport.stream(
                    demo.controlPlane()
                        .client()
                        .get("/v1/instances?service=orders")
                        .path("items")
                        .spliterator(),
                    false)
                .map(i -> i.path("address").asText() + ":" + i.path("port").asInt())
                .toList())
        .containsExactlyInAnyOrder(
            demo.instances().get(4).addresses().inbound(),
            demo.instances().get(5).addresses().inbound());
    assertThat(demo.logs().resolve("orders-v1-1.log")).exists();
    assertThat(demo.logs().resolve("orders-v1-1-sidecar.log")).exists();
  }

  @Test
  void everySidecarHasAnIdentityAndTheMeshRefusesPlaintextAndUnlistedCallers() throws Exception {
    for (TradingDemo.Instance instance : demo.instances()) {
      String certs = admin(instance, "/certs");
      assertThat(certs)
          .as(instance.id())
          .contains("spiffe://firemesh.local/env/demo/svc/" + instance.service().name())
          .doesNotContain("PRIVATE KEY");
    }

    // Strict mTLS mesh-wide: a plaintext client at an inbound port gets no answer.
    TradingDemo.Instance orders =
        demo.instances().stream().filter(i -> i.id().equals("orders-v1-1")).findFirst().get();
    String[] inbound = orders.addresses().inbound().split(":");
    try (java.net.Socket socket = new java.net.Socket(inbound[0], Integer.parseInt(inbound[1]))) {
      socket.setSoTimeout(10_000);
      socket
          .getOutputStream()
          .write(
              "GET /orders HTTP/1.1\r\nHost: orders\r\nx-firemesh-caller: gateway\r\n\r\n"
                  .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      byte[] buffer = new byte[64];
      int n;
      try {
        n = socket.getInputStream().read(buffer);
      } catch (java.net.SocketException reset) {
        n = -1;
      }
      assertThat(n).as("the connection is closed without an HTTP answer").isEqualTo(-1);
    }

    // risk lets only orders call it: the gateway, verified by its certificate, is refused.
    HttpResponse<String> direct =
        gateway.send(
            HttpRequest.newBuilder(URI.create("http://risk/checks"))
                .POST(HttpRequest.BodyPublishers.ofString("{}"))
                .header("content-type", "application/json")
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(direct.statusCode()).isEqualTo(403);
    assertThat(
            admin(
                demo.instances().stream()
                    .filter(i -> i.service().name().equals("risk"))
                    .findFirst()
                    .get(),
                "/stats/prometheus"))
        .containsPattern(
            "firemesh_proxy_authz_decisions_total\\{policy=\"default\",decision=\"deny\"\\} [1-9]");
  }

  private static String admin(TradingDemo.Instance instance, String path) throws Exception {
    try (HttpClient plain = HttpClient.newHttpClient()) {
      return plain
          .send(
              HttpRequest.newBuilder(URI.create("http://" + instance.addresses().admin() + path))
                  .build(),
              HttpResponse.BodyHandlers.ofString())
          .body();
    }
  }

  @Test
  void referenceDataAnswersByNameThroughTheSidecars() throws Exception {
    HttpResponse<String> bp = get("http://reference-data/instruments/GB0007980591");
    assertThat(bp.statusCode()).isEqualTo(200);
    JsonNode instrument = JSON.readTree(bp.body());
    assertThat(instrument.path("cfi").asText()).isEqualTo("ESVUFR");
    assertThat(instrument.path("mic").asText()).isEqualTo("XLON");

    HttpResponse<String> badCheckDigit = get("http://reference-data/instruments/GB0007980592");
    assertThat(badCheckDigit.statusCode()).isEqualTo(400);
    assertThat(badCheckDigit.body()).contains("expected 1");
  }

  @Test
  void anOrderIsAcceptedAfterReferenceDataAndRiskSayYes() throws Exception {
    HttpResponse<String> response =
        postOrder("ACC-1001", "GB0007980591", "BUY", 1000, "4.512", false);
    JsonNode answer = JSON.readTree(response.body());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
    assertThat(answer.path("status").asText()).isEqualTo("ACCEPTED");
    assertThat(answer.path("venue").asText()).isEqualTo("XLON");
    assertThat(answer.path("currency").asText()).isEqualTo("GBP");
    assertThat(answer.path("orderId").asText()).startsWith(answer.path("handledBy").asText());
  }

  @Test
  void anOrderIsAStreamOfEventsTheCliShowsAndRiskProjectsAndOneRiskInstanceOwnsTheTask()
      throws Exception {
    HttpResponse<String> placed =
        postOrder("ACC-1002", "GB0007980591", "BUY", 1000, "4.512", false);
    assertThat(placed.statusCode()).as(placed.body()).isEqualTo(201);
    String orderId = JSON.readTree(placed.body()).path("orderId").asText();

    // The venue simulator fills it, or fills part and cancels the rest.
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                List.of("FILLED", "CANCELLED")
                    .contains(
                        JSON.readTree(get("http://orders/orders/" + orderId).body())
                            .path("status")
                            .asText()));
    Cli.Result history =
        Cli.run(
            "events",
            "stream",
            "order-" + orderId,
            "--service",
            "orders",
            "--data-dir",
            dataDir.toString(),
            "-o",
            "json");
    assertThat(history.exitCode()).as(history.err()).isZero();
    List<String> types = new ArrayList<>();
    JSON.readTree(history.out()).path("events").forEach(e -> types.add(e.path("type").asText()));
    assertThat(types).startsWith("OrderPlaced", "OrderAccepted");
    assertThat(types.getLast()).isIn("OrderFilled", "OrderCancelled");

    // risk's projection of the forwarded events has the account's exposure in GBP.
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> get("http://risk/exposure/ACC-1002").body().contains("\"GBP\""));

    Cli.Result tasks =
        Cli.run("tasks", "--service", "risk", "--data-dir", dataDir.toString(), "-o", "json");
    assertThat(tasks.exitCode()).as(tasks.err()).isZero();
    JsonNode endOfDay = JSON.readTree(tasks.out()).path("tasks").path(0);
    assertThat(endOfDay.path("task").asText()).isEqualTo("end-of-day");
    assertThat(endOfDay.path("owner").asText()).isIn("risk-v1-1", "risk-v1-2");
  }

  @Test
  void badOrdersAreRejectedWithTheReason() throws Exception {
    HttpResponse<String> closed =
        postOrder("ACC-9001", "FR0000131104", "SELL", 200, "62.35", false);
    assertThat(closed.statusCode()).isEqualTo(422);
    JsonNode answer = JSON.readTree(closed.body());
    assertThat(answer.path("reason").asText()).isEqualTo("ACCOUNT_CLOSED");
    assertThat(answer.path("detail").asText()).isEqualTo("account ACC-9001 is closed");

    HttpResponse<String> unknown = postOrder("ACC-1001", "XS0000000009", "BUY", 10, "1.00", false);
    assertThat(JSON.readTree(unknown.body()).path("reason").asText())
        .isEqualTo("UNKNOWN_INSTRUMENT");

    // EUR 2.4 million in one order, over the EUR 1 million per-order limit: risk says no.
    HttpResponse<String> big =
        postOrder("ACC-1002", "DE0007164600", "BUY", 10_000, "238.45", false);
    JsonNode breach = JSON.readTree(big.body());
    assertThat(breach.path("reason").asText()).isEqualTo("LIMIT_BREACHED");
    assertThat(breach.path("detail").asText()).contains("per-order limit of EUR 1,000,000.00");
  }

  /**
   * orders is on the chassis: a Config applied with the CLI reaches both instances over the control
   * plane and changes their answers without a restart, and applying the sample file again undoes
   * it. The order itself is one the desk would otherwise accept.
   */
  @Test
  void theKillSwitchAppliedWithTheCliHaltsOrdersLiveAndTheSampleConfigResumesThem(
      @TempDir Path work) throws Exception {
    Path sample = SAMPLE_MESH.resolve("orders-config.yaml");
    String yaml = Files.readString(sample);
    assertThat(yaml).contains("killSwitch: false");
    Path halt = work.resolve("orders-halt.yaml");
    Files.writeString(halt, yaml.replaceFirst("killSwitch: false", "killSwitch: true"));
    try {
      Cli.Result applied =
          Cli.run("apply", "-f", halt.toString(), "--data-dir", dataDir.toString());
      assertThat(applied.exitCode()).as(applied.err()).isZero();

      for (boolean canary : new boolean[] {false, true}) {
        await()
            .atMost(Duration.ofSeconds(15))
            .untilAsserted(
                () -> {
                  JsonNode answer =
                      JSON.readTree(
                          postOrder("ACC-1001", "GB0007980591", "BUY", 10, "4.512", canary).body());
                  assertThat(answer.path("reason").asText()).isEqualTo("TRADING_HALTED");
                  assertThat(answer.path("detail").asText())
                      .contains("kill switch", "trading-desk@example.com");
                });
      }
      Cli.Result shown =
          Cli.run(
              "config",
              "get",
              "--service",
              "orders",
              "--env",
              TradingDemo.DEMO_ENV,
              "--data-dir",
              dataDir.toString());
      assertThat(shown.exitCode()).as(shown.err()).isZero();
      assertThat(shown.out()).contains("killSwitch", "orders-demo");
    } finally {
      Cli.Result resumed =
          Cli.run("apply", "-f", sample.toString(), "--data-dir", dataDir.toString());
      assertThat(resumed.exitCode()).as(resumed.err()).isZero();
    }
    await()
        .atMost(Duration.ofSeconds(15))
        .untilAsserted(
            () ->
                assertThat(
                        postOrder("ACC-1001", "GB0007980591", "BUY", 10, "4.512", false)
                            .statusCode())
                    .isEqualTo(201));
  }

  @Test
  void theCanaryHeaderReachesOrdersV2() throws Exception {
    HttpResponse<String> response =
        // ACC-1001: the generator's flow never brings it near its limits, unlike ACC-1003's.
        postOrder("ACC-1001", "US4592001014", "SELL", 100, "221.37", true);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
    assertThat(JSON.readTree(response.body()).path("handledBy").asText()).isEqualTo("orders-v2-1");
  }

  @Test
  void theGeneratorsOrderFlowIsAcceptedAndRejectedAsMeant() throws Exception {
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              JsonNode stats = JSON.readTree(get("http://gateway/stats").body());
              assertThat(stats.path("accepted").asLong()).isGreaterThan(5);
              assertThat(stats.path("quotes").asLong()).isPositive();
              // Every valid order was accepted (or hit a limit); every invalid one rejected.
              assertThat(stats.path("unexpected").asLong()).isZero();
              assertThat(stats.path("failed").asLong()).isZero();
              // The faults the sample Route injects for the dashboard (3% of the generator's
              // orders) hit it, and are counted as injected, not as failed.
              assertThat(stats.path("injected").asLong()).isPositive();
            });
    // The orders desks count what they took, whichever version took it.
    long accepted = 0;
    for (String instance : List.of("orders-v1-1", "orders-v2-1")) {
      TradingDemo.Instance orders =
          demo.instances().stream().filter(i -> i.id().equals(instance)).findFirst().orElseThrow();
      accepted += ordersStats(orders).path("accepted").asLong();
    }
    assertThat(accepted).isGreaterThan(5);
  }

  @Test
  void quotesStreamOverGrpcThroughTheSidecars() throws Exception {
    String[] outbound = demo.gateway().addresses().outbound().split(":");
    ManagedChannel channel =
        NettyChannelBuilder.forAddress(outbound[0], Integer.parseInt(outbound[1]))
            .usePlaintext()
            .overrideAuthority("market-data")
            .build();
    try {
      Iterator<MarketDataApi.QuoteMessage> quotes =
          ClientCalls.blockingServerStreamingCall(
              channel,
              MarketDataApi.STREAM_QUOTES,
              CallOptions.DEFAULT.withDeadlineAfter(20, TimeUnit.SECONDS),
              new MarketDataApi.QuoteRequest(List.of("GB0007980591")));
      List<MarketDataApi.QuoteMessage> received = new ArrayList<>();
      while (received.size() < 3) {
        received.add(quotes.next());
      }
      assertThat(received)
          .allSatisfy(
              q -> {
                assertThat(q.isin()).isEqualTo("GB0007980591");
                assertThat(new java.math.BigDecimal(q.bid()))
                    .isLessThan(new java.math.BigDecimal(q.ask()));
              });
      assertThat(received.get(2).sequence()).isGreaterThan(received.get(0).sequence());
    } finally {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  private static boolean alive(long pid) {
    return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
  }

  private JsonNode ordersStats(TradingDemo.Instance orders)
      throws IOException, InterruptedException {
    try (HttpClient direct = HttpClient.newHttpClient()) {
      HttpResponse<String> response =
          direct.send(
              HttpRequest.newBuilder(
                      URI.create("http://127.0.0.1:" + orders.appPort() + "/orders/stats"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      return JSON.readTree(response.body());
    }
  }

  private static HttpResponse<String> get(String uri) throws IOException, InterruptedException {
    return gateway.send(
        HttpRequest.newBuilder(URI.create(uri)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> postOrder(
      String account, String isin, String side, long quantity, String price, boolean canary)
      throws IOException, InterruptedException {
    String body =
        JSON.createObjectNode()
            .put("account", account)
            .put("isin", isin)
            .put("side", side)
            .put("quantity", quantity)
            .put("limitPrice", price)
            .toString();
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://orders/orders"))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body));
    if (canary) {
      request.header("x-canary", "always");
    }
    return gateway.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }
}
