package dev.firemesh.it;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.zip.CRC32C;

/**
 * A local app for end-to-end tests: a real HTTP/1.1 server on loopback (the JDK's), on virtual
 * threads. Every path answers with the app's name, except:
 *
 * <ul>
 *   <li>{@code POST /upload}: reads the whole body as it streams in and answers {@code <bytes>
 *       <crc32c>};
 *   <li>{@code GET /download?bytes=N}: streams {@link #pattern N bytes} (chunked);
 *   <li>{@code GET /health}: an empty answer with the status {@link #health(int)} set, 200 at
 *       first.
 * </ul>
 *
 * <p>{@link #failing} makes an app that answers every Nth request with 500, a bad new version.
 */
final class LocalApp implements AutoCloseable {
  private final HttpServer server;
  private final java.util.concurrent.atomic.AtomicInteger health;

  private LocalApp(HttpServer server, java.util.concurrent.atomic.AtomicInteger health) {
    this.server = server;
    this.health = health;
  }

  /** What {@code /health} answers from now on. */
  void health(int status) {
    health.set(status);
  }

  static LocalApp start(String name) throws IOException {
    return start(name, 0);
  }

  /** On {@code port} (0 picks a free one). */
  static LocalApp start(String name, int port) throws IOException {
    return start(name, port, 0);
  }

  /**
   * An app that answers every {@code everyNth} request (on any path but the two above) with 500.
   */
  static LocalApp failing(String name, int everyNth) throws IOException {
    return start(name, 0, everyNth);
  }

  private static LocalApp start(String name, int port, int failEveryNth) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 128);
    byte[] body = name.getBytes(StandardCharsets.UTF_8);
    java.util.concurrent.atomic.AtomicLong served = new java.util.concurrent.atomic.AtomicLong();
    server.createContext(
        "/",
        exchange -> {
          try (exchange) {
            exchange.getRequestBody().readAllBytes();
            boolean fail = failEveryNth > 0 && served.incrementAndGet() % failEveryNth == 0;
            exchange.sendResponseHeaders(fail ? 500 : 200, body.length);
            exchange.getResponseBody().write(body);
          }
        });
    // Who the app was told is calling: the header its sidecar sets (verified under mTLS).
    server.createContext(
        "/whoami",
        exchange -> {
          try (exchange) {
            exchange.getRequestBody().readAllBytes();
            byte[] caller =
                String.valueOf(exchange.getRequestHeaders().getFirst("x-firemesh-caller"))
                    .getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, caller.length);
            exchange.getResponseBody().write(caller);
          }
        });
    server.createContext("/upload", LocalApp::upload);
    server.createContext("/download", LocalApp::download);
    var health = new java.util.concurrent.atomic.AtomicInteger(200);
    server.createContext(
        "/health",
        exchange -> {
          try (exchange) {
            exchange.getRequestBody().readAllBytes();
            exchange.sendResponseHeaders(health.get(), -1);
          }
        });
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server.start();
    return new LocalApp(server, health);
  }

  int port() {
    return server.getAddress().getPort();
  }

  private static void upload(HttpExchange exchange) throws IOException {
    try (exchange) {
      CRC32C crc = new CRC32C();
      long bytes = 0;
      byte[] buffer = new byte[64 * 1024];
      try (InputStream in = exchange.getRequestBody()) {
        for (int n; (n = in.read(buffer)) > 0; ) {
          crc.update(buffer, 0, n);
          bytes += n;
        }
      }
      byte[] answer = (bytes + " " + crc.getValue()).getBytes(StandardCharsets.US_ASCII);
      exchange.sendResponseHeaders(200, answer.length);
      exchange.getResponseBody().write(answer);
    }
  }

  private static void download(HttpExchange exchange) throws IOException {
    try (exchange) {
      String query = exchange.getRequestURI().getQuery();
      long bytes = Long.parseLong(query.substring(query.indexOf('=') + 1));
      exchange.sendResponseHeaders(200, 0); // chunked
      try (OutputStream out = exchange.getResponseBody()) {
        byte[] chunk = pattern(64 * 1024);
        for (long left = bytes; left > 0; left -= chunk.length) {
          out.write(chunk, 0, (int) Math.min(chunk.length, left));
        }
      }
    }
  }

  /**
   * The bytes downloads carry, 64 KiB at a time: not all zeros and not periodic within a chunk, so
   * that a lost, duplicated or corrupted range changes the length or the checksum.
   */
  static byte[] pattern(int length) {
    byte[] bytes = new byte[length];
    for (int i = 0; i < length; i++) {
      bytes[i] = (byte) (i * 31 + (i >>> 8));
    }
    return bytes;
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
