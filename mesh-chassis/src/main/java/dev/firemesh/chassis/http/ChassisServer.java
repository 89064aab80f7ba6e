package dev.firemesh.chassis.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.firemesh.chassis.telemetry.CurrentRequest;
import dev.firemesh.chassis.telemetry.ServiceTelemetry;
import dev.firemesh.telemetry.trace.Direction;
import dev.firemesh.telemetry.trace.HopOutcome;
import dev.firemesh.telemetry.trace.TraceHop;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The service's HTTP/1.1 server: the JDK's, one virtual thread per request, on loopback. Around
 * every handler it continues the caller's trace (the request's {@code traceparent}), puts the trace
 * and span ids in the log context, counts the request in the golden metrics under the route's
 * template, and exports the span when the sampler says so. A handler's exception is a 500, an
 * {@link HttpError} its status; a body over the limit is a 413 before any handler runs.
 *
 * <p>Stopping is two steps so the chassis can order them: {@link #refuseNewWork()} (readiness goes
 * down, new requests get 503 with {@code connection: close}) and {@link #stop(Duration)} (waits for
 * the requests in flight, up to the bound, then closes).
 */
public final class ChassisServer implements AutoCloseable {
  /** The header a FireMesh sidecar's inbound side sets to the caller's verified service. */
  public static final String CALLER_HEADER = "x-firemesh-caller";

  private static final Logger log = LoggerFactory.getLogger(ChassisServer.class);
  private static final int MAX_BODY_BYTES = 4 * 1024 * 1024;
  private static final String UNKNOWN_CALLER = "unknown";

  private final HttpServer server;
  private final ExecutorService executor;
  private final ServiceTelemetry telemetry;
  private volatile HttpRoutes routes;
  private volatile boolean refusing;
  private final AtomicInteger inFlight = new AtomicInteger();

  private ChassisServer(HttpServer server, ExecutorService executor, ServiceTelemetry telemetry) {
    this.server = server;
    this.executor = executor;
    this.telemetry = telemetry;
    this.routes = HttpRoutes.builder().build();
  }

  /**
   * Binds {@code address} (port 0 for an ephemeral one) and starts serving {@code routes}.
   *
   * @throws UncheckedIOException if the address cannot be bound, naming it
   */
  public static ChassisServer start(
      InetSocketAddress address, HttpRoutes routes, ServiceTelemetry telemetry) {
    HttpServer server;
    try {
      server = HttpServer.create(address, 128);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot listen on " + address.getHostString() + ":" + address.getPort(), e);
    }
    ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    ChassisServer chassis = new ChassisServer(server, executor, telemetry);
    chassis.routes = routes;
    server.setExecutor(executor);
    server.createContext("/", chassis::exchange);
    server.start();
    return chassis;
  }

  public InetSocketAddress address() {
    return server.getAddress();
  }

  public int port() {
    return server.getAddress().getPort();
  }

  /** Requests being served now. */
  public int inFlight() {
    return inFlight.get();
  }

  /** From now on every new request is answered 503 and its connection closed. */
  public void refuseNewWork() {
    refusing = true;
  }

  /**
   * Waits for the requests in flight, up to {@code grace}, then closes the listener and every
   * connection.
   */
  public void stop(Duration grace) {
    refusing = true;
    long deadline = System.nanoTime() + grace.toNanos();
    while (inFlight.get() > 0 && System.nanoTime() < deadline) {
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    if (inFlight.get() > 0) {
      log.warn("stopping with {} requests still in flight after {}", inFlight.get(), grace);
    }
    server.stop(0);
    executor.shutdownNow();
  }

  @Override
  public void close() {
    stop(Duration.ZERO);
  }

  private void exchange(HttpExchange exchange) {
    inFlight.incrementAndGet();
    long startEpochNanos = epochNanos();
    long start = System.nanoTime();
    try (exchange) {
      serve(exchange, startEpochNanos, start);
    } catch (IOException | RuntimeException e) {
      // The caller went away mid-answer, or the JDK server refused what we wrote: nothing to
      // answer any more; the metrics were recorded with the status we meant to send.
      log.debug("exchange ended early: {}", e.toString());
    } finally {
      inFlight.decrementAndGet();
    }
  }

  private void serve(HttpExchange exchange, long startEpochNanos, long start) throws IOException {
    String method = exchange.getRequestMethod().toUpperCase(Locale.ROOT);
    String path = exchange.getRequestURI().getRawPath();
    Map<String, List<String>> headers = lowerCase(exchange);
    TraceHop hop = telemetry.begin(first(headers, "traceparent"), joined(headers, "tracestate"));
    String caller = Optional.ofNullable(first(headers, CALLER_HEADER)).orElse(UNKNOWN_CALLER);
    Optional<HttpRoutes.Match> match = routes.match(method, path);
    String route = match.map(m -> m.route().template()).orElse("unmatched");

    HttpResponse response;
    long requestBytes = 0;
    if (refusing) {
      response = HttpResponse.error(503, "this instance is stopping");
      exchange.getResponseHeaders().add("connection", "close");
    } else {
      byte[] body = readBody(exchange.getRequestBody());
      if (body == null) {
        response = HttpResponse.error(413, "request body over " + MAX_BODY_BYTES + " bytes");
      } else {
        requestBytes = body.length;
        response = dispatch(exchange, method, path, headers, body, match, hop);
      }
    }
    write(exchange, response, hop);
    HopOutcome outcome =
        HopOutcome.builder(Direction.INBOUND)
            .timing(startEpochNanos, System.nanoTime() - start)
            .request(method, "http", path)
            .httpRoute(route)
            .statusCode(response.status())
            .server(
                exchange.getLocalAddress().getHostString(), exchange.getLocalAddress().getPort())
            .peer(
                exchange.getRemoteAddress().getHostString(), exchange.getRemoteAddress().getPort())
            .protocolVersion("1.1")
            .mesh(caller, telemetry.service(), route)
            .build();
    telemetry.served(hop, outcome, caller, route, requestBytes, response.body().length);
  }

  private HttpResponse dispatch(
      HttpExchange exchange,
      String method,
      String path,
      Map<String, List<String>> headers,
      byte[] body,
      Optional<HttpRoutes.Match> match,
      TraceHop hop) {
    if (match.isEmpty()) {
      return routes.pathKnown(path)
          ? HttpResponse.error(405, method + " is not allowed on " + path)
          : HttpResponse.error(404, "no route for " + path);
    }
    MDC.put("trace_id", hop.traceId().hex());
    MDC.put("span_id", hop.spanId().hex());
    try {
      HttpRequest request =
          new HttpRequest(
              method,
              path,
              match.get().pathParams(),
              query(exchange.getRequestURI().getRawQuery()),
              headers,
              body);
      return CurrentRequest.serving(hop, () -> match.get().route().handler().handle(request));
    } catch (HttpError e) {
      return HttpResponse.error(e.status(), e.getMessage());
    } catch (Exception e) {
      log.error("{} {} failed", method, match.get().route().template(), e);
      return HttpResponse.error(500, "internal error; trace " + hop.traceId().hex());
    } finally {
      MDC.remove("trace_id");
      MDC.remove("span_id");
    }
  }

  private static void write(HttpExchange exchange, HttpResponse response, TraceHop hop)
      throws IOException {
    var out = exchange.getResponseHeaders();
    out.set("content-type", response.contentType());
    response.headers().forEach(out::set);
    out.set("traceparent", hop.outgoingTraceparent());
    byte[] body = response.body();
    boolean empty = body.length == 0 || "HEAD".equals(exchange.getRequestMethod());
    exchange.sendResponseHeaders(response.status(), empty ? -1 : body.length);
    if (!empty) {
      try (OutputStream stream = exchange.getResponseBody()) {
        stream.write(body);
      }
    }
  }

  /** The body, or null if it is longer than the limit. */
  private static byte[] readBody(InputStream in) throws IOException {
    byte[] body = in.readNBytes(MAX_BODY_BYTES + 1);
    if (body.length > MAX_BODY_BYTES) {
      in.skip(Long.MAX_VALUE);
      return null;
    }
    return body;
  }

  private static Map<String, List<String>> lowerCase(HttpExchange exchange) {
    Map<String, List<String>> headers = new LinkedHashMap<>();
    exchange
        .getRequestHeaders()
        .forEach(
            (name, values) ->
                headers
                    .computeIfAbsent(name.toLowerCase(Locale.ROOT), n -> new ArrayList<>())
                    .addAll(values));
    headers.replaceAll((name, values) -> List.copyOf(values));
    return headers;
  }

  private static Map<String, List<String>> query(String raw) {
    Map<String, List<String>> query = new LinkedHashMap<>();
    if (raw == null || raw.isEmpty()) {
      return query;
    }
    for (String pair : raw.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String name = decode(eq < 0 ? pair : pair.substring(0, eq));
      String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
      query.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
    }
    query.replaceAll((name, values) -> List.copyOf(values));
    return query;
  }

  private static String decode(String text) {
    try {
      return URLDecoder.decode(text, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new HttpError(400, "malformed query: " + e.getMessage());
    }
  }

  private static String first(Map<String, List<String>> headers, String name) {
    List<String> values = headers.get(name);
    return values == null || values.isEmpty() ? null : values.getFirst();
  }

  private static String joined(Map<String, List<String>> headers, String name) {
    List<String> values = headers.get(name);
    return values == null || values.isEmpty() ? null : String.join(",", values);
  }

  private static long epochNanos() {
    java.time.Instant now = java.time.Instant.now();
    return now.getEpochSecond() * 1_000_000_000L + now.getNano();
  }
}
