package dev.firemesh.chassis.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.firemesh.chassis.Chassis;
import dev.firemesh.chassis.http.HttpResponse;
import dev.firemesh.chassis.http.HttpRoutes;
import dev.firemesh.chassis.telemetry.LogFormat;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class MeshClientTest {
  private static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";

  @Test
  void aCallMadeWhileServingCarriesTheServedRequestsTrace() throws Exception {
    AtomicReference<String> seenByRisk = new AtomicReference<>("");
    try (Chassis risk =
            start(
                "risk",
                HttpRoutes.builder()
                    .post(
                        "/check",
                        request -> {
                          seenByRisk.set(request.header("traceparent").orElse(""));
                          return HttpResponse.json(200, "{\"ok\":true}");
                        })
                    .build());
        MeshClient toRisk =
            MeshClient.direct(
                Map.of("risk", URI.create("http://127.0.0.1:" + risk.address().getPort())),
                Duration.ofSeconds(5));
        Chassis orders =
            start(
                "orders",
                HttpRoutes.builder()
                    .post("/orders", request -> toRisk.postJson("risk", "/check", "{}"))
                    .build());
        MeshClient caller =
            MeshClient.direct(
                Map.of("orders", URI.create("http://127.0.0.1:" + orders.address().getPort())),
                Duration.ofSeconds(5))) {
      HttpResponse answer =
          callWithTrace(caller, "orders", "/orders", "00-" + TRACE + "-00f067aa0ba902b7-01");

      assertThat(answer.status()).isEqualTo(200);
      assertThat(new String(answer.body(), StandardCharsets.UTF_8)).isEqualTo("{\"ok\":true}");
      assertThat(seenByRisk.get()).startsWith("00-" + TRACE + "-").endsWith("-01");
      assertThat(seenByRisk.get()).doesNotContain("00f067aa0ba902b7");
    }
  }

  @Test
  void aServiceWithNoAddressIsRefusedByName() {
    try (MeshClient client = MeshClient.direct(Map.of(), Duration.ofSeconds(1))) {
      assertThatThrownBy(() -> client.get("pricing", "/quotes"))
          .hasMessageContaining("no address for service 'pricing'");
    }
  }

  private static HttpResponse callWithTrace(
      MeshClient client, String service, String path, String traceparent) throws Exception {
    java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
    var answer =
        http.send(
            java.net.http.HttpRequest.newBuilder(client.uri(service, path))
                .header("traceparent", traceparent)
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{}"))
                .build(),
            java.net.http.HttpResponse.BodyHandlers.ofByteArray());
    return new HttpResponse(answer.statusCode(), "application/json", Map.of(), answer.body());
  }

  private static Chassis start(String service, HttpRoutes routes) {
    return Chassis.builder()
        .service(service)
        .environment("test")
        .standalone()
        .routes(routes)
        .logFormat(LogFormat.AS_CONFIGURED)
        .stopOnSigterm(false)
        .drainDelay(Duration.ZERO)
        .start();
  }
}
