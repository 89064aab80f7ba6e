package dev.firemesh.it;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.concurrent.Executors;

/**
 * An app for {@code firemesh run} to supervise, started by the end-to-end tests in a JVM of its own
 * (this test class path). It writes what it saw into a record directory:
 *
 * <ul>
 *   <li>{@code serve NAME PORT DIR}: appends {@code start pid=P sidecar-ready=S} to {@code
 *       DIR/starts} (S: the status of {@code GET $FIREMESH_ADMIN/ready} at its start), waits while
 *       {@code DIR/gate} exists (so a test can hold a restarted app down), then serves: {@code GET
 *       /crash} exits 1, any other path answers NAME.
 *   <li>{@code batch DIR}: calls {@code http://orders/who} through {@code $http_proxy} (its
 *       sidecar), writes the answer to {@code DIR/batch}, exits 0.
 * </ul>
 */
public final class SupervisedApp {
  private SupervisedApp() {}

  public static void main(String[] args) throws Exception {
    switch (args[0]) {
      case "serve" -> serve(args[1], Integer.parseInt(args[2]), Path.of(args[3]));
      case "batch" -> batch(Path.of(args[1]));
      default -> throw new IllegalArgumentException("serve or batch: " + args[0]);
    }
  }

  private static void serve(String name, int port, Path dir) throws Exception {
    int ready = status(URI.create(System.getenv("FIREMESH_ADMIN") + "/ready"));
    Files.writeString(
        dir.resolve("starts"),
        "start pid=" + ProcessHandle.current().pid() + " sidecar-ready=" + ready + "\n",
        StandardOpenOption.CREATE,
        StandardOpenOption.APPEND);
    while (Files.exists(dir.resolve("gate"))) {
      Thread.sleep(20);
    }
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 64);
    byte[] body = name.getBytes(StandardCharsets.UTF_8);
    server.createContext(
        "/",
        exchange -> {
          try (exchange) {
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
          }
        });
    server.createContext(
        "/crash",
        exchange -> {
          exchange.sendResponseHeaders(200, -1);
          exchange.close();
          Runtime.getRuntime().halt(1);
        });
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server.start();
  }

  private static void batch(Path dir) throws Exception {
    URI proxy = URI.create(System.getenv("http_proxy"));
    HttpClient client =
        HttpClient.newBuilder()
            .proxy(ProxySelector.of(new InetSocketAddress(proxy.getHost(), proxy.getPort())))
            .build();
    HttpResponse<String> answer =
        client.send(
            HttpRequest.newBuilder(URI.create("http://orders/who"))
                .timeout(Duration.ofSeconds(10))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    Files.writeString(dir.resolve("batch"), answer.statusCode() + " " + answer.body());
  }

  private static int status(URI uri) {
    try {
      return HttpClient.newHttpClient()
          .send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.discarding())
          .statusCode();
    } catch (IOException | InterruptedException e) {
      return -1;
    }
  }
}
