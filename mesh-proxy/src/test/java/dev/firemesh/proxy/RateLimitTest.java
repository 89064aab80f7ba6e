package dev.firemesh.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.firemesh.proxy.testing.FirstRouteRouter;
import dev.firemesh.proxy.testing.H2Client;
import dev.firemesh.proxy.testing.MeshConfigs;
import dev.firemesh.proxy.testing.SidecarPair;
import dev.firemesh.proxy.testing.TestApp;
import dev.firemesh.traffic.config.DataPlaneConfig;
import dev.firemesh.traffic.config.HeaderMatcher;
import dev.firemesh.traffic.config.InboundPolicy;
import dev.firemesh.traffic.config.PathMatcher;
import dev.firemesh.traffic.config.RateLimitRule;
import dev.firemesh.traffic.config.RequestMatch;
import dev.firemesh.traffic.config.StringMatcher;
import io.netty.handler.codec.http2.Http2Headers;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Local rate limits at the callee's inbound listener: callers' sidecars say who they are, the
 * callee's sidecar answers over-limit requests itself with 429 and {@code retry-after} (gRPC:
 * RESOURCE_EXHAUSTED), per caller or for the whole instance, and new limits apply at once.
 */
class RateLimitTest {
  private TestApp app;
  private Sidecar orders;
  private Sidecar gateway;
  private Sidecar risk;

  @BeforeEach
  void start() throws Exception {
    app = new TestApp().start();
    orders = sidecar("orders");
    gateway = sidecar("gateway");
    risk = sidecar("risk");
    for (Sidecar caller : List.of(gateway, risk)) {
      caller.apply(
          MeshConfigs.builder()
              .service("orders", "orders")
              .cluster("orders", orders.inboundAddress().getPort())
              .build("caller-1"));
    }
  }

  private Sidecar sidecar(String service) {
    return SidecarPair.ephemeral(
            Sidecar.builder()
                .router(new FirstRouteRouter())
                .localAppPort(app.port())
                .service(service))
        .build()
        .start();
  }

  @AfterEach
  void stop() {
    for (Sidecar sidecar : List.of(gateway, risk, orders)) {
      sidecar.close();
    }
    app.close();
  }

  private static final RequestMatch POST_ORDERS =
      new RequestMatch(
          new PathMatcher.Prefix("/echo/orders"),
          List.of(new HeaderMatcher(HeaderMatcher.METHOD, new StringMatcher.Exact("POST"), false)));

  /** The callee's configuration with {@code rules} as the inbound policy of orders. */
  private void limit(RateLimitRule... rules) {
    DataPlaneConfig base = MeshConfigs.builder().build("callee");
    orders.apply(
        new DataPlaneConfig(
            "callee-" + rules.length,
            base.services(),
            base.clusters(),
            base.ports(),
            Map.of("orders", new InboundPolicy(List.of(rules)))));
  }

  private static RateLimitRule rule(String name, int burst, RateLimitRule.Per per) {
    // One token per 100 s: nothing refills while a test runs.
    return new RateLimitRule(name, List.of(POST_ORDERS), 0.01, burst, per);
  }

  private static List<HttpResponse<String>> post(Sidecar caller, int n, String... headers)
      throws Exception {
    HttpClient client =
        HttpClient.newBuilder()
            .proxy(ProxySelector.of(caller.outboundAddress()))
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    List<HttpResponse<String>> responses = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      HttpRequest.Builder request =
          HttpRequest.newBuilder(URI.create("http://orders/echo/orders"))
              .POST(HttpRequest.BodyPublishers.ofString("order " + i));
      if (headers.length > 0) {
        request.headers(headers);
      }
      responses.add(client.send(request.build(), HttpResponse.BodyHandlers.ofString()));
    }
    return responses;
  }

  private static long count(List<HttpResponse<String>> responses, int status) {
    return responses.stream().filter(r -> r.statusCode() == status).count();
  }

  @Test
  void overTheBurstCallersGet429WithRetryAfterAndTheRuleName() throws Exception {
    limit(rule("place-orders", 3, RateLimitRule.Per.INSTANCE));

    List<HttpResponse<String>> responses = post(gateway, 5);

    assertThat(responses)
        .extracting(HttpResponse::statusCode)
        .containsExactly(200, 200, 200, 429, 429);
    HttpResponse<String> refused = responses.getLast();
    assertThat(refused.headers().firstValue("retry-after")).contains("100");
    assertThat(refused.headers().firstValue("x-firemesh-ratelimited")).contains("place-orders");
    assertThat(refused.body()).contains("rate limited by place-orders");
    // Requests no rule matches are not limited.
    HttpClient client =
        HttpClient.newBuilder().proxy(ProxySelector.of(gateway.outboundAddress())).build();
    HttpResponse<String> get =
        client.send(
            HttpRequest.newBuilder(URI.create("http://orders/echo/orders")).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(get.statusCode()).isEqualTo(200);
    assertThat(orders.counters())
        .containsEntry("ratelimit.place-orders.allowed", 3L)
        .containsEntry("ratelimit.place-orders.limited", 2L);
    assertThat(admin("/stats/prometheus"))
        .contains(
            "# TYPE firemesh_proxy_ratelimit_requests_total counter\n"
                + "firemesh_proxy_ratelimit_requests_total{rule=\"place-orders\",result=\"allowed\"} 3\n"
                + "firemesh_proxy_ratelimit_requests_total{rule=\"place-orders\",result=\"limited\"} 2\n")
        .doesNotContain("firemesh_proxy_ratelimit_place");
    assertThat(admin("/config_dump"))
        .contains(
            "\"inbound\": {\n    \"orders\": {\n      \"mtls\": \"PERMISSIVE\",\n"
                + "      \"rateLimits\": [")
        .contains("\"name\": \"place-orders\"")
        .contains("\"per\": \"INSTANCE\"");
  }

  private String admin(String path) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + orders.adminAddress().getPort() + path))
                .build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }

  @Test
  void theCallerSidecarStampsItsOwnServiceOverWhatTheAppSent() throws Exception {
    HttpResponse<String> response = post(gateway, 1, "x-firemesh-caller", "risk").getFirst();

    assertThat(TestApp.parseEcho(response.body()))
        .containsEntry("header.x-firemesh-caller", "gateway");
  }

  @Test
  void perCallerLimitsGiveEachCallingServiceItsOwnBucket() throws Exception {
    limit(rule("place-orders", 2, RateLimitRule.Per.CALLER));

    assertThat(count(post(gateway, 4), 200)).isEqualTo(2);
    assertThat(count(post(risk, 4), 200)).isEqualTo(2);
    assertThat(count(post(gateway, 1), 429)).isEqualTo(1);

    limit(rule("place-orders", 2, RateLimitRule.Per.INSTANCE));
    assertThat(count(post(gateway, 4), 200)).isEqualTo(2);
    assertThat(count(post(risk, 2), 429)).as("one bucket for all callers").isEqualTo(2);
  }

  @Test
  void aHigherLimitAppliesAtOnceAndUnrelatedUpdatesKeepTheBuckets() throws Exception {
    limit(rule("place-orders", 2, RateLimitRule.Per.CALLER));
    assertThat(count(post(gateway, 3), 429)).isEqualTo(1);

    limit(
        rule("place-orders", 2, RateLimitRule.Per.CALLER),
        rule("other", 1, RateLimitRule.Per.INSTANCE));
    assertThat(count(post(gateway, 1), 429))
        .as("the same rule keeps its empty bucket")
        .isEqualTo(1);

    limit(rule("place-orders", 6, RateLimitRule.Per.CALLER));
    assertThat(count(post(gateway, 8), 200)).isEqualTo(6);
  }

  @Test
  void overHttp2TheStreamIsAnsweredAndAGrpcCallerGetsResourceExhausted() throws Exception {
    limit(new RateLimitRule("all", List.of(), 0.01, 1, RateLimitRule.Per.INSTANCE));
    try (H2Client client = H2Client.connect(orders.inboundAddress())) {
      client.send(H2Client.request("GET", "orders", "/echo"), new byte[0]); // takes the token

      H2Client.Response plain =
          client.send(H2Client.request("GET", "orders", "/echo"), new byte[0]);
      assertThat(plain.status()).isEqualTo(429);
      assertThat(plain.headers().orElseThrow().get("retry-after")).hasToString("100");

      Http2Headers grpc = H2Client.request("POST", "orders", "/trading.Orders/Place");
      grpc.set("content-type", "application/grpc").set("te", "trailers");
      H2Client.Response call = client.send(grpc, new byte[] {0, 0, 0, 0, 0});
      Http2Headers head = call.headers().orElseThrow();
      assertThat(call.status()).isEqualTo(200);
      assertThat(head.get("grpc-status")).hasToString("8");
      assertThat(head.get("x-firemesh-ratelimited")).hasToString("all");
      assertThat(head.get("retry-after")).hasToString("100");
    }
  }
}
