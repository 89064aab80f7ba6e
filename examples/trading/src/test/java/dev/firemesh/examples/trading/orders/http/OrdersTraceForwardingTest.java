package dev.firemesh.examples.trading.orders.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.firemesh.examples.trading.orders.domain.OrderDesk;
import dev.firemesh.examples.trading.orders.domain.OrderPolicy;
import dev.firemesh.examples.trading.plumbing.JsonServer;
import dev.firemesh.examples.trading.plumbing.MeshHttp;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A trace crosses orders: the {@code traceparent} and {@code tracestate} of the order it serves go
 * on, unchanged, with the calls it makes because of it (reference-data twice, risk once), and a
 * request without them causes calls without them. The "sidecar" here is a JDK HTTP server on
 * loopback that answers as reference-data and risk would and records what it was sent.
 */
class OrdersTraceForwardingTest {
  private static final String TRACEPARENT =
      "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

  /** A call that reached the sidecar. */
  private record Call(String host, String path, String traceparent, List<String> tracestate) {}

  private final List<Call> calls = new CopyOnWriteArrayList<>();
  private HttpServer sidecar;
  private MeshHttp mesh;
  private JsonServer orders;
  private HttpClient client;

  @BeforeEach
  void start() throws IOException {
    sidecar = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
    sidecar.createContext("/", this::answer);
    sidecar.start();
    mesh = new MeshHttp(sidecar.getAddress(), Duration.ofSeconds(5));
    OrderDesk desk =
        new OrderDesk(
            "orders-1",
            OrderPolicy.dev(),
            new ReferenceDataClient(mesh),
            new RiskClient(mesh),
            InstantSource.system());
    orders = new OrdersApi(desk, "orders-1", "v1").routes(new JsonServer()).start(0);
    client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  }

  @AfterEach
  void stop() {
    client.close();
    orders.close();
    mesh.close();
    sidecar.stop(0);
  }

  @Test
  void theServedOrdersTraceContextGoesOnToEveryCallItCauses() throws Exception {
    HttpResponse<String> placed =
        place(
            HttpRequest.newBuilder()
                .header("traceparent", TRACEPARENT)
                .header("tracestate", "congo=t61rcWkgMzE")
                .header("tracestate", "rojo=00f067aa0ba902b7"));

    assertThat(placed.statusCode()).as(placed.body()).isEqualTo(201);
    assertThat(calls)
        .extracting(Call::host)
        .containsExactly("reference-data", "reference-data", "risk");
    for (Call call : calls) {
      assertThat(call.traceparent()).as(call.path()).isEqualTo(TRACEPARENT);
      assertThat(call.tracestate())
          .as(call.path())
          .containsExactly("congo=t61rcWkgMzE,rojo=00f067aa0ba902b7");
    }
  }

  @Test
  void anOrderWithoutATraceCausesCallsWithout() throws Exception {
    HttpResponse<String> placed = place(HttpRequest.newBuilder());

    assertThat(placed.statusCode()).as(placed.body()).isEqualTo(201);
    assertThat(calls).hasSize(3);
    for (Call call : calls) {
      assertThat(call.traceparent()).as(call.path()).isNull();
      assertThat(call.tracestate()).as(call.path()).isEmpty();
    }
  }

  @Test
  void aCallMadeOutsideAServedRequestCarriesNoTrace() throws Exception {
    // as the traffic generator's order flow calls: the sidecar starts the trace
    mesh.get("reference-data", "/instruments/GB0007980591");

    assertThat(calls).singleElement().extracting(Call::traceparent).isNull();
  }

  private HttpResponse<String> place(HttpRequest.Builder request) throws Exception {
    String order =
        """
        {"clientOrderId": "c-1", "account": "ACC-1", "isin": "GB0007980591", "side": "BUY",
         "quantity": 10, "limitPrice": "500.0"}
        """;
    return client.send(
        request
            .uri(URI.create("http://127.0.0.1:" + orders.port() + "/orders"))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(order))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** Answers as the services behind the sidecar would; the request line names the service. */
  private void answer(HttpExchange exchange) throws IOException {
    URI uri = exchange.getRequestURI();
    calls.add(
        new Call(
            uri.getHost(),
            uri.getPath(),
            exchange.getRequestHeaders().getFirst("traceparent"),
            exchange.getRequestHeaders().getOrDefault("tracestate", List.of())));
    String body =
        switch (uri.getHost() + uri.getPath()) {
          case "reference-data/instruments/GB0007980591" ->
              """
              {"isin": "GB0007980591", "name": "BP", "mic": "XLON", "currency": "GBP",
               "tickSize": "0.5"}""";
          case "reference-data/accounts/ACC-1" -> "{\"id\": \"ACC-1\", \"status\": \"OPEN\"}";
          case "risk/checks" -> "{\"approved\": true}";
          default -> null;
        };
    byte[] bytes =
        (body == null ? "{\"error\": \"unexpected\"}" : body).getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(body == null ? 404 : 200, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }
}
