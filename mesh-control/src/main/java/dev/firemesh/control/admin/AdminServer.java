package dev.firemesh.control.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin API's HTTP server: JSON in and out, one virtual thread per call, bearer-token
 * authentication on everything but {@code /healthz}. Routes are registered by the API classes.
 */
public final class AdminServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(AdminServer.class);
  static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  private static final int MAX_BODY_BYTES = 16 * 1024 * 1024;

  /** Handles one call; returns the JSON answer with status 200, or throws {@link ApiException}. */
  @FunctionalInterface
  public interface Handler {
    JsonNode handle(AdminRequest request);
  }

  private record Route(String method, String[] segments, Handler handler) {}

  private final List<Route> routes = new ArrayList<>();
  private final AdminToken token;
  private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
  private HttpServer server;

  public AdminServer(AdminToken token) {
    this.token = token;
  }

  /** Registers a route; {@code pattern} segments in braces, like {@code {name}}, are parameters. */
  public AdminServer route(String method, String pattern, Handler handler) {
    routes.add(new Route(method, pattern.substring(1).split("/"), handler));
    return this;
  }

  public AdminServer start(InetSocketAddress bind) throws IOException {
    server = HttpServer.create(bind, 128);
    server.setExecutor(executor);
    server.createContext("/", this::serve);
    server.start();
    return this;
  }

  public int port() {
    return server.getAddress().getPort();
  }

  private void serve(HttpExchange exchange) {
    try (exchange) {
      URI uri = exchange.getRequestURI();
      String path = uri.getPath();
      if (path.equals("/healthz")) {
        reply(exchange, 200, JSON.createObjectNode().put("status", "ok"));
        return;
      }
      if (!token.accepts(exchange.getRequestHeaders().getFirst("Authorization"))) {
        exchange.getResponseHeaders().add("WWW-Authenticate", "Bearer realm=\"firemesh\"");
        reply(
            exchange,
            401,
            error(
                "unauthenticated",
                "missing or wrong bearer token; the CLI reads it from <data-dir>/admin.token",
                null));
        return;
      }
      try {
        reply(exchange, 200, dispatch(exchange, path, uri.getRawQuery()));
      } catch (ApiException e) {
        reply(exchange, e.status(), error(e.code(), e.getMessage(), e.detail()));
      } catch (RuntimeException e) {
        log.error("admin call {} {} failed", exchange.getRequestMethod(), path, e);
        reply(exchange, 500, error("internal", "internal error: " + e, null));
      }
    } catch (IOException e) {
      log.debug("admin client went away: {}", e.toString());
    }
  }

  private JsonNode dispatch(HttpExchange exchange, String path, String rawQuery)
      throws IOException {
    String[] segments = path.substring(1).split("/");
    boolean pathKnown = false;
    for (Route route : routes) {
      Map<String, String> params = match(route.segments(), segments);
      if (params == null) {
        continue;
      }
      pathKnown = true;
      if (!route.method().equals(exchange.getRequestMethod())) {
        continue;
      }
      byte[] body = readBody(exchange.getRequestBody());
      String actor = exchange.getRequestHeaders().getFirst("X-FireMesh-Actor");
      return route
          .handler()
          .handle(
              new AdminRequest(
                  route.method(),
                  path,
                  params,
                  parseQuery(rawQuery),
                  body,
                  actor == null || actor.isBlank() ? "admin" : "admin:" + actor.strip()));
    }
    if (pathKnown) {
      throw new ApiException(
          405, "method_not_allowed", exchange.getRequestMethod() + " is not allowed on " + path);
    }
    throw ApiException.notFound("no admin endpoint " + path);
  }

  private static Map<String, String> match(String[] pattern, String[] segments) {
    if (pattern.length != segments.length) {
      return null;
    }
    Map<String, String> params = new LinkedHashMap<>();
    for (int i = 0; i < pattern.length; i++) {
      String p = pattern[i];
      if (p.startsWith("{") && p.endsWith("}")) {
        params.put(
            p.substring(1, p.length() - 1), URLDecoder.decode(segments[i], StandardCharsets.UTF_8));
      } else if (!p.equals(segments[i])) {
        return null;
      }
    }
    return params;
  }

  private static Map<String, String> parseQuery(String rawQuery) {
    Map<String, String> query = new LinkedHashMap<>();
    if (rawQuery == null || rawQuery.isEmpty()) {
      return query;
    }
    for (String pair : rawQuery.split("&")) {
      int eq = pair.indexOf('=');
      String key = eq < 0 ? pair : pair.substring(0, eq);
      String value = eq < 0 ? "" : pair.substring(eq + 1);
      query.put(
          URLDecoder.decode(key, StandardCharsets.UTF_8),
          URLDecoder.decode(value, StandardCharsets.UTF_8));
    }
    return query;
  }

  private static byte[] readBody(InputStream in) throws IOException {
    byte[] body = in.readNBytes(MAX_BODY_BYTES + 1);
    if (body.length > MAX_BODY_BYTES) {
      throw new ApiException(
          413, "too_large", "request body exceeds " + MAX_BODY_BYTES / (1024 * 1024) + " MiB");
    }
    return body;
  }

  private static ObjectNode error(String code, String message, JsonNode detail) {
    ObjectNode error = JSON.createObjectNode();
    error.put("error", code);
    error.put("message", message);
    if (detail != null && !detail.isNull()) {
      error.set("detail", detail);
    }
    return error;
  }

  private static void reply(HttpExchange exchange, int status, JsonNode body) throws IOException {
    byte[] bytes = JSON.writeValueAsBytes(body);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    if (server != null) {
      server.stop(0);
    }
    executor.close();
  }
}
