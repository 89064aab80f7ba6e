package dev.firemesh.proxy.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.locks.LockSupport;
import java.util.zip.CRC32;

/**
 * The local application behind a sidecar: the JDK's HTTP server on an ephemeral loopback port.
 *
 * <ul>
 *   <li>{@code /echo}: reads the body, answers with the method, target, body size and CRC, and
 *       every request header as {@code header.<name>: <value>} lines
 *   <li>{@code /upload[?pauseMicros=N]}: reads the body (pausing after each 64 KiB read when
 *       asked), answers {@code <bytes> <crc>}
 *   <li>{@code /download?bytes=N[&chunked=true]}: a generated body of N bytes
 *   <li>{@code /status?code=N}: an empty response with that status
 * </ul>
 */
public final class TestApp implements AutoCloseable {
  private final HttpServer server;
  private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();

  public TestApp() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
    server.setExecutor(executor);
    server.createContext("/echo", this::echo);
    server.createContext("/upload", this::upload);
    server.createContext("/download", this::download);
    server.createContext("/status", this::status);
  }

  public TestApp start() {
    server.start();
    return this;
  }

  public int port() {
    return server.getAddress().getPort();
  }

  private void echo(HttpExchange exchange) throws IOException {
    long[] read = readBody(exchange.getRequestBody(), 0);
    StringBuilder out = new StringBuilder();
    out.append("method: ").append(exchange.getRequestMethod()).append('\n');
    out.append("target: ").append(exchange.getRequestURI()).append('\n');
    out.append("body-bytes: ").append(read[0]).append('\n');
    out.append("body-crc: ").append(read[1]).append('\n');
    Map<String, String> headers = new TreeMap<>();
    exchange
        .getRequestHeaders()
        .forEach(
            (name, values) ->
                headers.put(name.toLowerCase(Locale.ROOT), String.join(", ", values)));
    headers.forEach(
        (name, value) ->
            out.append("header.").append(name).append(": ").append(value).append('\n'));
    respond(exchange, 200, out.toString());
  }

  private void upload(HttpExchange exchange) throws IOException {
    long pause = Long.parseLong(query(exchange.getRequestURI()).getOrDefault("pauseMicros", "0"));
    long[] read = readBody(exchange.getRequestBody(), pause);
    respond(exchange, 200, read[0] + " " + read[1]);
  }

  private void download(HttpExchange exchange) throws IOException {
    Map<String, String> query = query(exchange.getRequestURI());
    long size = Long.parseLong(query.get("bytes"));
    boolean chunked = Boolean.parseBoolean(query.getOrDefault("chunked", "false"));
    exchange.getRequestBody().readAllBytes();
    exchange.sendResponseHeaders(200, chunked ? 0 : (size == 0 ? -1 : size));
    try (OutputStream body = exchange.getResponseBody();
        InputStream generated = new GeneratedBody(size)) {
      generated.transferTo(body);
    }
  }

  private void status(HttpExchange exchange) throws IOException {
    int code = Integer.parseInt(query(exchange.getRequestURI()).get("code"));
    exchange.getRequestBody().readAllBytes();
    exchange.sendResponseHeaders(code, -1);
    exchange.close();
  }

  private static long[] readBody(InputStream in, long pauseMicros) throws IOException {
    CRC32 crc = new CRC32();
    byte[] buffer = new byte[64 * 1024];
    long total = 0;
    int n;
    while ((n = in.read(buffer)) > 0) {
      crc.update(buffer, 0, n);
      total += n;
      if (pauseMicros > 0) {
        LockSupport.parkNanos(pauseMicros * 1_000);
      }
    }
    return new long[] {total, crc.getValue()};
  }

  private static void respond(HttpExchange exchange, int status, String text) throws IOException {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
    exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
    try (OutputStream body = exchange.getResponseBody()) {
      body.write(bytes);
    }
  }

  private static Map<String, String> query(URI uri) {
    Map<String, String> out = new HashMap<>();
    String raw = uri.getRawQuery();
    if (raw != null) {
      for (String pair : raw.split("&")) {
        int eq = pair.indexOf('=');
        out.put(eq < 0 ? pair : pair.substring(0, eq), eq < 0 ? "" : pair.substring(eq + 1));
      }
    }
    return out;
  }

  /** Parses an {@code /echo} answer into its lines' key-value pairs. */
  public static Map<String, String> parseEcho(String body) {
    Map<String, String> out = new HashMap<>();
    for (String line : body.split("\n")) {
      int colon = line.indexOf(": ");
      if (colon > 0) {
        out.put(line.substring(0, colon), line.substring(colon + 2));
      }
    }
    return out;
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
