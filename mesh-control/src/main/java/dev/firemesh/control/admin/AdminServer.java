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
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin API's HTTP server: JSON in and out, one virtual thread per call, bearer-token
 * authentication on everything but {@code /healthz} and the routes registered as {@link
 * Access#OPEN} (SVID issuance, which authenticates its callers by other means, and the public trust
 * bundle). Routes are registered by the API classes, and so are the exceptions their handlers may
 * throw for expected refusals ({@link #refuse}): the mapping to a 4xx answer is made here, once,
 * for every route. Anything else is a 500.
 */
public final class AdminServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(AdminServer.class);
  static final ObjectMapper JSON = AdminJson.mapper().enable(SerializationFeature.INDENT_OUTPUT);
  static final int MAX_BODY_BYTES = 16 * 1024 * 1024;

  /** Handles one call; returns the JSON answer with status 200, or throws {@link ApiException}. */
  @FunctionalInterface
  public interface Handler {
    JsonNode handle(AdminRequest request);
  }

  /** An answer that is not JSON: PEM, Prometheus exposition text. */
  public record Text(String contentType, String body) {}

  /** Handles one call; returns the text answer with status 200, or throws {@link ApiException}. */
  @FunctionalInterface
  public interface TextHandler {
    Text handle(AdminRequest request);
  }

  /** Who may call a route. */
  public enum Access {
    /** Holders of the admin bearer token: operators and the CLI. */
    ADMIN,
    /**
     * Anyone who reaches the port. The handler authenticates the caller itself (a workload asking
     * for an SVID shows a join token or its current SVID, never the admin token), or the answer is
     * public (the trust bundle).
     */
    OPEN
  }

  private record Route(
      String method, String[] segments, Access access, Function<AdminRequest, Answer> responder) {}

  /** How one type of exception thrown by a handler becomes a refusal. */
  private record Refusal<E extends RuntimeException>(
      Class<E> type, Function<? super E, ApiException> toRefusal) {
    Optional<ApiException> of(RuntimeException e) {
      return type.isInstance(e) ? Optional.of(toRefusal.apply(type.cast(e))) : Optional.empty();
    }
  }

  private record Answer(int status, String contentType, byte[] body) {
    static Answer json(int status, JsonNode body) {
      try {
        return new Answer(status, "application/json", JSON.writeValueAsBytes(body));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  private final List<Route> routes = new CopyOnWriteArrayList<>();
  private final List<Refusal<?>> refusals = new CopyOnWriteArrayList<>();
  private final AdminToken token;
  private final int maxBodyBytes;
  private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
  private HttpServer server;
  private boolean started;

  public AdminServer(AdminToken token) {
    this(token, MAX_BODY_BYTES);
  }

  AdminServer(AdminToken token, int maxBodyBytes) {
    this.token = token;
    this.maxBodyBytes = maxBodyBytes;
  }

  /**
   * Registers a route for holders of the admin token; {@code pattern} segments in braces, like
   * {@code {name}}, are parameters.
   */
  public AdminServer route(String method, String pattern, Handler handler) {
    return route(method, pattern, Access.ADMIN, handler);
  }

  /** Registers a JSON route with the given access. */
  public AdminServer route(String method, String pattern, Access access, Handler handler) {
    return add(method, pattern, access, r -> Answer.json(200, handler.handle(r)));
  }

  /** Registers a route that answers text (its handler says the content type). */
  public AdminServer textRoute(String method, String pattern, Access access, TextHandler handler) {
    return add(
        method,
        pattern,
        access,
        r -> {
          Text text = handler.handle(r);
          return new Answer(200, text.contentType(), text.body().getBytes(StandardCharsets.UTF_8));
        });
  }

  private AdminServer add(
      String method, String pattern, Access access, Function<AdminRequest, Answer> responder) {
    routes.add(new Route(method, pattern.substring(1).split("/"), access, responder));
    return this;
  }

  /**
   * Declares that a handler throwing {@code type} was refused, not broken: the call is answered
   * with the {@link ApiException} made from it. The first declaration that matches wins.
   */
  public <E extends RuntimeException> AdminServer refuse(
      Class<E> type, Function<? super E, ApiException> toRefusal) {
    refusals.add(new Refusal<>(type, toRefusal));
    return this;
  }

  /**
   * Takes the port, so a busy one fails here, before anything slow starts. Calls that arrive before
   * {@link #start()} wait in the backlog.
   *
   * @throws java.net.BindException if the address is in use
   */
  public AdminServer bind(InetSocketAddress address) throws IOException {
    server = HttpServer.create(address, 128);
    server.setExecutor(executor);
    server.createContext("/", this::serve);
    return this;
  }

  /** Starts answering calls on the bound port. */
  public AdminServer start() {
    if (server == null) {
      throw new IllegalStateException("bind the admin server before starting it");
    }
    server.start();
    started = true;
    return this;
  }

  public int port() {
    return server.getAddress().getPort();
  }

  private void serve(HttpExchange exchange) {
    try (exchange) {
      reply(exchange, answer(exchange));
    } catch (IOException e) {
      log.debug("admin client went away: {}", e.toString());
    }
  }

  private Answer answer(HttpExchange exchange) throws IOException {
    URI uri = exchange.getRequestURI();
    if ("/healthz".equals(uri.getPath())) {
      return Answer.json(200, JSON.createObjectNode().put("status", "ok"));
    }
    boolean admin = token.accepts(exchange.getRequestHeaders().getFirst("Authorization"));
    try {
      return dispatch(exchange, uri, admin);
    } catch (ApiException e) {
      return refused(e);
    } catch (RuntimeException e) {
      for (Refusal<?> refusal : refusals) {
        Optional<ApiException> refused = refusal.of(e);
        if (refused.isPresent()) {
          return refused(refused.get());
        }
      }
      log.error("admin call {} {} failed", exchange.getRequestMethod(), uri.getPath(), e);
      return Answer.json(500, error("internal", "internal error: " + e, null));
    }
  }

  private static Answer refused(ApiException e) {
    return Answer.json(e.status(), error(e.code(), e.getMessage(), e.detail()));
  }

  private Answer dispatch(HttpExchange exchange, URI uri, boolean admin) throws IOException {
    String path = uri.getPath();
    // Split the raw path, then decode each segment once: an encoded "/" stays inside its segment.
    String rawPath = uri.getRawPath() == null ? "/" : uri.getRawPath();
    String[] segments = rawPath.substring(1).split("/");
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
      if (route.access() == Access.ADMIN && !admin) {
        return unauthenticated(exchange);
      }
      byte[] body = readBody(exchange);
      String actor = exchange.getRequestHeaders().getFirst("X-FireMesh-Actor");
      return route
          .responder()
          .apply(
              new AdminRequest(
                  route.method(),
                  path,
                  params,
                  parseQuery(uri.getRawQuery()),
                  headers(exchange),
                  body,
                  actor == null || actor.isBlank() ? "admin" : "admin:" + actor.strip()));
    }
    if (!admin) {
      return unauthenticated(exchange);
    }
    if (pathKnown) {
      throw new ApiException(
          405, "method_not_allowed", exchange.getRequestMethod() + " is not allowed on " + path);
    }
    throw ApiException.notFound("no admin endpoint " + path);
  }

  /** The bearer challenge, also for unknown paths: without the token, no path is confirmed. */
  private static Answer unauthenticated(HttpExchange exchange) {
    exchange.getResponseHeaders().add("WWW-Authenticate", "Bearer realm=\"firemesh\"");
    return Answer.json(
        401,
        error(
            "unauthenticated",
            "missing or wrong bearer token; the CLI reads it from <data-dir>/admin.token",
            null));
  }

  /** The first value of each header, by lower-case name. */
  private static Map<String, String> headers(HttpExchange exchange) {
    Map<String, String> headers = new LinkedHashMap<>();
    exchange
        .getRequestHeaders()
        .forEach(
            (name, values) -> {
              if (!values.isEmpty()) {
                headers.put(name.toLowerCase(Locale.ROOT), values.getFirst());
              }
            });
    return headers;
  }

  private static Map<String, String> match(String[] pattern, String[] segments) {
    if (pattern.length != segments.length) {
      return null;
    }
    Map<String, String> params = new LinkedHashMap<>();
    for (int i = 0; i < pattern.length; i++) {
      String p = pattern[i];
      if (p.startsWith("{") && p.endsWith("}")) {
        // In a path "+" is a plus sign, not a space as in a form.
        params.put(
            p.substring(1, p.length() - 1), decode(segments[i].replace("+", "%2B"), "URL path"));
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
      query.put(decode(key, "query"), decode(value, "query"));
    }
    return query;
  }

  /**
   * Percent-decodes one URL part. The JDK server already refuses most malformed escapes (with its
   * own HTML 400); whatever reaches here still gets the JSON shape.
   */
  private static String decode(String raw, String where) {
    try {
      return URLDecoder.decode(raw, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest(
          "malformed percent-escape in the " + where + " \"" + raw + "\": " + e.getMessage());
    }
  }

  private byte[] readBody(HttpExchange exchange) throws IOException {
    String declared = exchange.getRequestHeaders().getFirst("Content-Length");
    if (declared != null) {
      try {
        if (Long.parseLong(declared.strip()) > maxBodyBytes) {
          throw tooLarge();
        }
      } catch (NumberFormatException e) {
        // The HTTP server itself refuses a malformed length; reading below still bounds the body.
      }
    }
    try (InputStream in = exchange.getRequestBody()) {
      byte[] body = in.readNBytes(maxBodyBytes + 1);
      if (body.length > maxBodyBytes) {
        throw tooLarge();
      }
      return body;
    }
  }

  private ApiException tooLarge() {
    return new ApiException(413, "too_large", "request body exceeds " + size(maxBodyBytes));
  }

  private static String size(int bytes) {
    return bytes % (1024 * 1024) == 0
        ? bytes / (1024 * 1024) + " MiB"
        : bytes % 1024 == 0 ? bytes / 1024 + " KiB" : bytes + " bytes";
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

  private static void reply(HttpExchange exchange, Answer answer) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", answer.contentType());
    exchange.sendResponseHeaders(answer.status(), answer.body().length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(answer.body());
    }
  }

  @Override
  public void close() {
    if (server != null) {
      if (!started) {
        // The JDK server releases its port only from its dispatcher thread, which start() runs:
        // a server that was bound but never started would keep the port until the JVM exits.
        server.start();
      }
      server.stop(0);
      server = null;
    }
    executor.close();
  }
}
