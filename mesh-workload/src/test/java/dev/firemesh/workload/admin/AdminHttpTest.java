package dev.firemesh.workload.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The admin API's HTTP/1.1 over a plain socket, against the JDK's HTTP server. */
class AdminHttpTest {
  private HttpServer server;
  private final List<String> seen = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
    server.createContext(
        "/fixed", exchange -> answer(exchange, 200, "{\"answer\":\"fixed\"}", false));
    server.createContext("/chunked", exchange -> answer(exchange, 201, "x".repeat(70_000), true));
    server.createContext("/empty", exchange -> answer(exchange, 204, "", false));
    server.createContext(
        "/refused",
        exchange -> answer(exchange, 409, "{\"error\":\"conflict\",\"message\":\"taken\"}", false));
    server.createContext("/plain", exchange -> answer(exchange, 502, "bad gateway", false));
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private void answer(HttpExchange exchange, int status, String body, boolean chunked)
      throws IOException {
    byte[] sent = exchange.getRequestBody().readAllBytes();
    var headers = exchange.getRequestHeaders();
    seen.add(
        exchange.getRequestMethod()
            + " "
            + exchange.getRequestURI()
            + " auth="
            + headers.getFirst("Authorization")
            + " actor="
            + headers.getFirst("X-FireMesh-Actor")
            + " type="
            + headers.getFirst("Content-Type")
            + " body="
            + new String(sent, StandardCharsets.UTF_8));
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(status, status == 204 ? -1 : chunked ? 0 : bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  private AdminHttp http() {
    return new AdminHttp(
        URI.create("http://127.0.0.1:" + server.getAddress().getPort()), "fm_secret");
  }

  @Test
  void aCallSendsTheTokenAndTheBodyAndReadsTheAnswer() {
    byte[] answer = http().call("POST", "/fixed?x=1", "{\"a\":1}".getBytes(StandardCharsets.UTF_8));
    assertThat(new String(answer, StandardCharsets.UTF_8)).isEqualTo("{\"answer\":\"fixed\"}");
    // No self-declared actor: the control plane records who authenticated.
    assertThat(seen)
        .containsExactly(
            "POST /fixed?x=1 auth=Bearer fm_secret actor=null type=application/json"
                + " body={\"a\":1}");
  }

  @Test
  void chunkedAndEmptyAnswersAreRead() {
    assertThat(http().call("GET", "/chunked", null)).hasSize(70_000);
    assertThat(http().call("DELETE", "/empty", null)).isEmpty();
    assertThat(seen.get(0)).startsWith("GET /chunked").endsWith("type=null body=");
  }

  @Test
  void aRefusalCarriesTheStatusAndTheServersMessage() {
    assertThatThrownBy(() -> http().call("PUT", "/refused", "{}".getBytes(StandardCharsets.UTF_8)))
        .isInstanceOfSatisfying(
            AdminCallException.class,
            e -> {
              assertThat(e.status()).isEqualTo(409);
              assertThat(e.getMessage()).isEqualTo("taken");
              assertThat(PlainJson.member(error(e), "error")).isEqualTo("conflict");
            });
    assertThatThrownBy(() -> http().call("GET", "/plain", null))
        .isInstanceOfSatisfying(
            AdminCallException.class,
            e -> {
              assertThat(e.status()).isEqualTo(502);
              assertThat(e.getMessage()).isEqualTo("bad gateway");
              assertThat(new String(e.body(), StandardCharsets.UTF_8)).isEqualTo("bad gateway");
            });
  }

  @Test
  void nothingListeningIsStatusZeroWithAHint() throws IOException {
    int closed;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closed = socket.getLocalPort();
    }
    URI base = URI.create("http://127.0.0.1:" + closed);
    assertThatThrownBy(() -> new AdminHttp(base, "t").call("GET", "/v1/x", null))
        .isInstanceOfSatisfying(
            AdminCallException.class,
            e -> {
              assertThat(e.status()).isZero();
              assertThat(e.getMessage())
                  .isEqualTo(
                      "cannot reach the control plane at "
                          + base
                          + " (is `firemesh control` running? --server sets the address)");
            });
  }

  private static Object error(AdminCallException e) {
    return PlainJson.parse(new String(e.body(), StandardCharsets.UTF_8));
  }
}
