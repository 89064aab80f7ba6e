package dev.firemesh.chassis.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * {@link HttpRoutes} on the JDK's HTTP server, on loopback: a stand-in for the chassis's server in
 * tests. Records each request's {@code Host}.
 */
public final class RoutesServer implements AutoCloseable {
  private final HttpServer server;
  private final ExecutorService executor;
  private final Queue<String> hosts = new ConcurrentLinkedQueue<>();

  private RoutesServer(HttpRoutes routes, int port) throws IOException {
    this.server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
    this.executor = Executors.newVirtualThreadPerTaskExecutor();
    server.setExecutor(executor);
    server.createContext("/", exchange -> serve(routes, exchange));
    server.start();
  }

  /** On an ephemeral port. */
  public static RoutesServer start(HttpRoutes routes) {
    return start(routes, 0);
  }

  /** On {@code port}, retrying a little while the port is still being released. */
  public static RoutesServer start(HttpRoutes routes, int port) {
    for (int attempt = 0; ; attempt++) {
      try {
        return new RoutesServer(routes, port);
      } catch (BindException e) {
        if (attempt == 50) {
          throw new UncheckedIOException(e);
        }
        try {
          Thread.sleep(100);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException(interrupted);
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  public int port() {
    return server.getAddress().getPort();
  }

  public URI uri() {
    return URI.create("http://127.0.0.1:" + port());
  }

  /** The Host header of each request so far. */
  public List<String> hosts() {
    return List.copyOf(hosts);
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }

  private void serve(HttpRoutes routes, HttpExchange exchange) throws IOException {
    try (exchange) {
      hosts.add(String.valueOf(exchange.getRequestHeaders().getFirst("Host")));
      URI uri = exchange.getRequestURI();
      String method = exchange.getRequestMethod();
      Optional<HttpRoutes.Match> match = routes.match(method, uri.getRawPath());
      HttpResponse response;
      if (match.isEmpty()) {
        response =
            routes.pathKnown(uri.getRawPath())
                ? HttpResponse.error(405, "method not allowed")
                : HttpResponse.error(404, "no route");
      } else {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        exchange
            .getRequestHeaders()
            .forEach((name, values) -> headers.put(name.toLowerCase(Locale.ROOT), values));
        HttpRequest request =
            new HttpRequest(
                method,
                uri.getRawPath(),
                match.get().pathParams(),
                query(uri.getRawQuery()),
                headers,
                exchange.getRequestBody().readAllBytes());
        try {
          response = match.get().route().handler().handle(request);
        } catch (HttpError e) {
          response = HttpResponse.error(e.status(), e.getMessage());
        } catch (Exception e) {
          response = HttpResponse.error(500, e.toString());
        }
      }
      exchange.getResponseHeaders().set("content-type", response.contentType());
      response.headers().forEach((name, value) -> exchange.getResponseHeaders().set(name, value));
      exchange.sendResponseHeaders(
          response.status(), response.body().length == 0 ? -1 : response.body().length);
      exchange.getResponseBody().write(response.body());
    }
  }

  private static Map<String, List<String>> query(String raw) {
    Map<String, List<String>> query = new LinkedHashMap<>();
    if (raw == null || raw.isEmpty()) {
      return query;
    }
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      String name =
          URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      String value =
          eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      query.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
    }
    return query;
  }
}
