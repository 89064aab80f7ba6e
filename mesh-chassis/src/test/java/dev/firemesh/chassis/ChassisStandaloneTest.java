package dev.firemesh.chassis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.firemesh.chassis.http.HttpError;
import dev.firemesh.chassis.http.HttpResponse;
import dev.firemesh.chassis.http.HttpRoutes;
import dev.firemesh.chassis.telemetry.LogFormat;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A chassis service standing alone (no control plane), as a test or a developer runs it. */
class ChassisStandaloneTest {
  private static final String TRACE = "0af7651916cd43dd8448eb211c80319c";

  private final HttpClient client = HttpClient.newHttpClient();
  private final CountDownLatch slowStarted = new CountDownLatch(1);
  private final CountDownLatch releaseSlow = new CountDownLatch(1);
  private Chassis chassis;

  @BeforeEach
  void start() {
    HttpRoutes routes =
        HttpRoutes.builder()
            .get(
                "/orders/{id}",
                request -> HttpResponse.json(200, "{\"id\":\"" + request.pathParam("id") + "\"}"))
            .post("/echo", request -> HttpResponse.text(200, request.bodyText()))
            .get(
                "/refused",
                request -> {
                  throw new HttpError(422, "quantity must be positive");
                })
            .get(
                "/boom",
                request -> {
                  throw new IllegalStateException("a bug");
                })
            .get(
                "/slow",
                request -> {
                  slowStarted.countDown();
                  releaseSlow.await(10, TimeUnit.SECONDS);
                  return HttpResponse.text(200, "done");
                })
            .build();
    chassis =
        Chassis.builder(new Environment(Map.of()))
            .service("orders")
            .environment("test")
            .standalone()
            .routes(routes)
            .logFormat(LogFormat.AS_CONFIGURED)
            .stopOnSigterm(false)
            .drainDelay(Duration.ofMillis(300))
            .stopGrace(Duration.ofSeconds(5))
            .start();
  }

  @AfterEach
  void stop() {
    releaseSlow.countDown();
    chassis.close();
  }

  @Test
  void aRouteAnswersAndContinuesTheCallersTrace() throws Exception {
    var response =
        client.send(
            get("/orders/42").header("traceparent", "00-" + TRACE + "-b7ad6b7169203331-01").build(),
            BodyHandlers.ofString());

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("{\"id\":\"42\"}");
    assertThat(response.headers().firstValue("traceparent"))
        .hasValueSatisfying(
            header ->
                assertThat(header)
                    .startsWith("00-" + TRACE + "-")
                    .doesNotContain("b7ad6b7169203331"));
  }

  @Test
  void wrongRequestsGetTheirProtocolErrorsAndTheServiceKeepsServing() throws Exception {
    assertThat(send(get("/nowhere")).statusCode()).isEqualTo(404);
    assertThat(send(HttpRequest.newBuilder(uri("/orders/1")).DELETE()).statusCode()).isEqualTo(405);
    var refused = send(get("/refused"));
    assertThat(refused.statusCode()).isEqualTo(422);
    assertThat(refused.body()).contains("quantity must be positive");
    var bug = send(get("/boom"));
    assertThat(bug.statusCode()).isEqualTo(500);
    assertThat(bug.body()).contains("internal error").doesNotContain("a bug");
    byte[] huge = new byte[4 * 1024 * 1024 + 1];
    var tooLarge =
        send(
            HttpRequest.newBuilder(uri("/echo"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(huge)));
    assertThat(tooLarge.statusCode()).isEqualTo(413);

    assertThat(send(get("/orders/7")).statusCode()).isEqualTo(200);
  }

  @Test
  void metricsCountRequestsByRouteTemplateWithTheSidecarsNames() throws Exception {
    send(get("/orders/1").header("x-firemesh-caller", "risk"));
    send(get("/orders/2").header("x-firemesh-caller", "risk"));
    send(get("/boom"));

    String metrics = send(get("/metrics")).body();
    assertThat(metrics)
        .contains(
            "firemesh_requests_total{destination=\"orders\",direction=\"inbound\","
                + "grpc_code=\"none\",route=\"/orders/{id}\",source=\"risk\",status_class=\"2xx\"} 2.0")
        .contains("route=\"/boom\",source=\"unknown\",status_class=\"5xx\"")
        .contains("firemesh_request_duration_seconds_bucket")
        .contains("jvm_memory_used_bytes");
  }

  @Test
  void stoppingTakesTheInstanceOutOfReadinessThenFinishesWhatIsInFlight() throws Exception {
    assertThat(send(get("/health/ready")).statusCode()).isEqualTo(200);
    CompletableFuture<java.net.http.HttpResponse<String>> slow =
        client.sendAsync(get("/slow").build(), BodyHandlers.ofString());
    assertThat(slowStarted.await(10, TimeUnit.SECONDS)).isTrue();

    Thread stopper = Thread.ofVirtual().start(chassis::close);
    await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(
            () -> {
              var ready = send(get("/health/ready"));
              assertThat(ready.statusCode()).isEqualTo(503);
              assertThat(ready.body()).contains("\"phase\":\"stopping\"");
            });
    releaseSlow.countDown();
    assertThat(slow.get(10, TimeUnit.SECONDS).body()).isEqualTo("done");
    stopper.join(Duration.ofSeconds(10));
    assertThat(stopper.isAlive()).isFalse();
  }

  private HttpRequest.Builder get(String path) {
    return HttpRequest.newBuilder(uri(path)).GET();
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + chassis.address().getPort() + path);
  }

  private java.net.http.HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
    return client.send(request.build(), BodyHandlers.ofString());
  }
}
