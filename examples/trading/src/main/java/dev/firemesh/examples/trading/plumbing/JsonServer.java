package dev.firemesh.examples.trading.plumbing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An HTTP/1.1 JSON server on loopback (the sidecar beside it is the only caller), on the JDK's
 * server with one virtual thread per exchange. Routes are matched in the order added by method and
 * path prefix; a handler gets the rest of the path and the parsed body and returns a {@link Reply}.
 * A request's {@code traceparent}/{@code tracestate} are passed on to the calls its handler makes
 * through {@link MeshHttp} ({@link TraceHeaders}).
 */
public final class JsonServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(JsonServer.class);

  /** An answer: status and JSON body. */
  public record Reply(int status, JsonNode body) {
    public static Reply ok(JsonNode body) {
      return new Reply(200, body);
    }

    public static Reply error(int status, String message) {
      return new Reply(status, Json.object().put("error", message));
    }
  }

  /**
   * A request as a handler sees it.
   *
   * @param rest the path after the route's prefix, without a leading slash ({@code ""} if none)
   * @param body the JSON body, or a missing node if there was none
   */
  public record Request(String method, String path, String rest, JsonNode body) {}

  @FunctionalInterface
  public interface Handler {
    Reply handle(Request request);
  }

  private record Route(String method, String prefix, Handler handler) {}

  private final List<Route> routes = new ArrayList<>();
  private HttpServer server;
  private ExecutorService executor;

  public JsonServer get(String prefix, Handler handler) {
    routes.add(new Route("GET", prefix, handler));
    return this;
  }

  public JsonServer post(String prefix, Handler handler) {
    routes.add(new Route("POST", prefix, handler));
    return this;
  }

  /** Starts listening on 127.0.0.1:{@code port} (0 picks a free port). */
  public JsonServer start(int port) throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 128);
    executor = Executors.newVirtualThreadPerTaskExecutor();
    server.setExecutor(executor);
    server.createContext("/", this::exchange);
    server.start();
    return this;
  }

  public int port() {
    return server.getAddress().getPort();
  }

  private void exchange(HttpExchange exchange) throws IOException {
    try (exchange) {
      byte[] in = exchange.getRequestBody().readAllBytes();
      String method = exchange.getRequestMethod();
      String path = exchange.getRequestURI().getPath();
      Optional<TraceHeaders> trace = TraceHeaders.of(exchange.getRequestHeaders());
      Reply reply;
      try {
        // Calls the handler makes through MeshHttp carry the request's trace context on.
        reply =
            trace.isPresent()
                ? ScopedValue.where(TraceHeaders.SERVED, trace.get())
                    .call(() -> dispatch(method, path, in))
                : dispatch(method, path, in);
      } catch (RuntimeException e) {
        log.error("{} {} failed", exchange.getRequestMethod(), exchange.getRequestURI(), e);
        reply = Reply.error(500, "internal error: " + e);
      }
      byte[] out =
          (Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(reply.body()) + "\n")
              .getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      exchange.sendResponseHeaders(reply.status(), out.length);
      try (OutputStream os = exchange.getResponseBody()) {
        os.write(out);
      }
    }
  }

  private Reply dispatch(String method, String path, byte[] in) {
    boolean pathKnown = false;
    for (Route route : routes) {
      if (!matches(path, route.prefix())) {
        continue;
      }
      pathKnown = true;
      if (!route.method().equals(method)) {
        continue;
      }
      JsonNode body;
      try {
        body = in.length == 0 ? MissingNode.getInstance() : Json.MAPPER.readTree(in);
      } catch (JsonProcessingException e) {
        return Reply.error(400, "the body is not JSON: " + e.getOriginalMessage());
      } catch (IOException e) {
        return Reply.error(400, "the body could not be read: " + e.getMessage());
      }
      String rest = path.substring(route.prefix().length());
      if (rest.startsWith("/")) {
        rest = rest.substring(1);
      }
      return route.handler().handle(new Request(method, path, rest, body));
    }
    return pathKnown
        ? Reply.error(405, method + " is not allowed on " + path)
        : Reply.error(404, "no such resource: " + path);
  }

  private static boolean matches(String path, String prefix) {
    return path.equals(prefix) || path.startsWith(prefix.endsWith("/") ? prefix : prefix + "/");
  }

  @Override
  public void close() {
    if (server != null) {
      server.stop(0);
      executor.close();
    }
  }
}
