package dev.firemesh.cli.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.firemesh.workload.admin.AdminCallException;
import dev.firemesh.workload.admin.AdminHttp;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The CLI's JSON trees over mesh-workload's AdminHttp, and a refusal's error as a tree. */
class AdminClientTest {
  private HttpServer server;

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
    server.createContext("/fixed", exchange -> answer(exchange, 200, "{\"answer\":\"fixed\"}"));
    server.createContext("/empty", exchange -> answer(exchange, 204, ""));
    server.createContext(
        "/refused",
        exchange ->
            answer(
                exchange,
                422,
                "{\"error\":\"invalid\",\"message\":\"bad\",\"detail\":{\"problems\":[1]}}"));
    server.createContext("/plain", exchange -> answer(exchange, 502, "bad gateway"));
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private static void answer(HttpExchange exchange, int status, String body) throws IOException {
    exchange.getRequestBody().readAllBytes();
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(status, status == 204 ? -1 : bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  private AdminClient client() {
    return new AdminClient(
        URI.create("http://127.0.0.1:" + server.getAddress().getPort()), "fm_secret");
  }

  @Test
  void answersAreJsonTreesAndAnEmptyOneIsAnEmptyObject() {
    assertThat(client().get("/fixed").path("answer").asText()).isEqualTo("fixed");
    assertThat(client().delete("/empty").isEmpty()).isTrue();
  }

  @Test
  void aRefusalsErrorIsTheServersJsonOrItsTextAsTheMessage() {
    assertThatThrownBy(() -> client().get("/refused"))
        .isInstanceOfSatisfying(
            AdminCallException.class,
            e -> {
              assertThat(AdminClient.error(e).path("error").asText()).isEqualTo("invalid");
              assertThat(AdminClient.error(e).path("detail").path("problems").size()).isOne();
            });
    assertThatThrownBy(() -> client().get("/plain"))
        .isInstanceOfSatisfying(
            AdminCallException.class,
            e ->
                assertThat(AdminClient.error(e).path("message").asText()).isEqualTo("bad gateway"));
  }

  @Test
  void noAnswerIsAnErrorWithTheMessageOnly() throws IOException {
    int closed;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closed = socket.getLocalPort();
    }
    AdminClient client =
        new AdminClient(new AdminHttp(URI.create("http://127.0.0.1:" + closed), "t"));
    assertThatThrownBy(() -> client.get("/v1/x"))
        .isInstanceOfSatisfying(
            AdminCallException.class,
            e -> {
              assertThat(e.status()).isZero();
              assertThat(AdminClient.error(e).path("message").asText()).isEqualTo(e.getMessage());
              assertThat(AdminClient.error(e).size()).isOne();
            });
  }
}
