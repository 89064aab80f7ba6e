package dev.firemesh.control.telemetry;

import static dev.firemesh.control.admin.AdminServer.Access.OPERATOR_OR_WORKLOAD;
import static dev.firemesh.control.admin.AdminServer.Access.VIEWER;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.firemesh.api.identity.SpiffeId;
import dev.firemesh.api.registry.ServiceInstance;
import dev.firemesh.api.resource.Kind;
import dev.firemesh.control.admin.AdminJson;
import dev.firemesh.control.admin.AdminRequest;
import dev.firemesh.control.admin.AdminServer;
import dev.firemesh.control.admin.ApiException;
import dev.firemesh.control.catalog.ResourceCatalog;
import dev.firemesh.control.operator.Principal;
import dev.firemesh.store.registry.Instance;
import dev.firemesh.store.registry.Registry;
import dev.firemesh.store.resource.StoredResource;
import io.opentelemetry.proto.collector.trace.v1.ExportTracePartialSuccess;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.zip.GZIPInputStream;

/**
 * The telemetry endpoints of the admin API.
 *
 * <ul>
 *   <li>{@code POST /v1/traces}: the OTLP/HTTP trace receiver, for workloads (their SVID as client
 *       certificate; their own service's spans only) and operators. Protobuf or JSON, optionally
 *       gzip; answers {@code ExportTraceServiceResponse} in the request's encoding.
 *   <li>{@code GET /v1/telemetry/graph}, {@code /stream} (server-sent events), {@code
 *       /services/{service}}, {@code /traces}, {@code /traces/{traceId}}: reads, for viewers.
 * </ul>
 */
public final class TelemetryApi {
  /** How often the stream sends the graph. */
  static final Duration STREAM_PERIOD = Duration.ofSeconds(2);

  /** The most a gzip body may inflate to: the same bound as a plain body. */
  static final int MAX_INFLATED_BYTES = 16 * 1024 * 1024;

  private static final byte[] EVENT_HEAD = "event: graph\ndata: ".getBytes(StandardCharsets.UTF_8);
  private static final byte[] EVENT_END = "\n\n".getBytes(StandardCharsets.UTF_8);
  private static final String PROTOBUF = "application/x-protobuf";
  private static final String JSON_TYPE = "application/json";
  private static final ObjectMapper JSON = AdminJson.mapper();

  private final TraceStore traces;
  private final TrafficCollector collector;
  private final ResourceCatalog catalog;
  private final Registry registry;
  private final TelemetryMetrics metrics;
  private final Clock clock;

  public TelemetryApi(
      TraceStore traces,
      TrafficCollector collector,
      ResourceCatalog catalog,
      Registry registry,
      TelemetryMetrics metrics,
      Clock clock) {
    this.traces = traces;
    this.collector = collector;
    this.catalog = catalog;
    this.registry = registry;
    this.metrics = metrics;
    this.clock = clock;
  }

  public void registerOn(AdminServer server) {
    server
        .refuse(
            MalformedTelemetryException.class,
            e -> new ApiException(400, "malformed_otlp", e.getMessage()))
        .replyRoute("POST", "/v1/traces", OPERATOR_OR_WORKLOAD, this::receive)
        .route("GET", "/v1/telemetry/graph", VIEWER, this::graph)
        .streamedRoute("GET", "/v1/telemetry/stream", VIEWER, r -> stream())
        .route("GET", "/v1/telemetry/services/{service}", VIEWER, this::service)
        .route("GET", "/v1/telemetry/traces", VIEWER, this::searchTraces)
        .route("GET", "/v1/telemetry/traces/{traceId}", VIEWER, this::trace);
  }

  // ---- OTLP receiver

  private AdminServer.Reply receive(AdminRequest request) {
    String type =
        request
            .header("content-type")
            .map(t -> t.split(";", 2)[0].strip().toLowerCase(Locale.ROOT))
            .orElse("");
    boolean json = type.equals(JSON_TYPE);
    if (!json && !type.equals(PROTOBUF) && !type.equals("application/protobuf")) {
      throw new ApiException(
          415,
          "unsupported_media_type",
          "POST /v1/traces takes OTLP as "
              + PROTOBUF
              + " or "
              + JSON_TYPE
              + ", got "
              + (type.isEmpty() ? "no Content-Type" : type));
    }
    byte[] body = inflated(request);
    OtlpDecoder.Decoded decoded =
        json ? OtlpDecoder.fromJson(body) : OtlpDecoder.fromProtobuf(body);
    List<TraceSpan> kept = decoded.spans();
    int rejected = decoded.rejected();
    List<String> problems = new ArrayList<>(decoded.problems());
    if (request.principal() instanceof Principal.Workload(SpiffeId workload)) {
      // A workload speaks for its own service only, as when it registers instances.
      List<TraceSpan> own =
          kept.stream().filter(s -> s.service().equals(workload.service())).toList();
      int foreign = kept.size() - own.size();
      if (foreign > 0) {
        rejected += foreign;
        problems.add(
            foreign
                + " spans name another service than "
                + workload.service()
                + ", the service of the caller's SVID");
      }
      kept = own;
    }
    traces.add(kept);
    metrics.spansReceived(kept.size());
    metrics.spansRejected(rejected);
    ExportTraceServiceResponse.Builder answer = ExportTraceServiceResponse.newBuilder();
    String message = "";
    if (rejected > 0) {
      message = rejected + " spans rejected: " + String.join("; ", problems);
      answer.setPartialSuccess(
          ExportTracePartialSuccess.newBuilder()
              .setRejectedSpans(rejected)
              .setErrorMessage(message));
    }
    if (!json) {
      return new AdminServer.Reply(200, PROTOBUF, answer.build().toByteArray(), Map.of());
    }
    ObjectNode out = JSON.createObjectNode();
    if (rejected > 0) {
      // proto3 JSON writes 64-bit integers as strings
      out.putObject("partialSuccess")
          .put("rejectedSpans", Long.toString(rejected))
          .put("errorMessage", message);
    }
    return new AdminServer.Reply(200, JSON_TYPE, bytes(out), Map.of());
  }

  private static byte[] inflated(AdminRequest request) {
    String encoding =
        request.header("content-encoding").map(e -> e.strip().toLowerCase(Locale.ROOT)).orElse("");
    if (encoding.isEmpty() || encoding.equals("identity")) {
      return request.body();
    }
    if (!encoding.equals("gzip")) {
      throw new ApiException(
          415,
          "unsupported_encoding",
          "POST /v1/traces takes Content-Encoding gzip or none, got " + encoding);
    }
    try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(request.body()))) {
      byte[] body = in.readNBytes(MAX_INFLATED_BYTES + 1);
      if (body.length > MAX_INFLATED_BYTES) {
        throw new ApiException(413, "too_large", "the gzip body inflates to more than 16 MiB");
      }
      return body;
    } catch (IOException e) {
      throw new MalformedTelemetryException("the gzip body cannot be inflated: " + e.getMessage());
    }
  }

  // ---- service graph

  private JsonNode graph(AdminRequest request) {
    String text = request.queryParam("window").orElse(GraphWindow.ONE_MINUTE.text());
    GraphWindow window =
        GraphWindow.parse(text)
            .orElseThrow(
                () ->
                    ApiException.badRequest(
                        "window must be one of 10s, 1m, 5m, got \"" + text + "\""));
    return graphJson(window);
  }

  private ObjectNode graphJson(GraphWindow window) {
    TrafficCollector.View view = collector.view();
    ServiceGraph graph = view.history().graph(window, view.inventory(), clock.instant());
    ObjectNode out = JSON.createObjectNode();
    out.put("window", graph.window().text());
    out.put("at", graph.at().toString());
    ArrayNode nodes = out.putArray("nodes");
    for (ServiceGraph.Node n : graph.nodes()) {
      ObjectNode node =
          nodes
              .addObject()
              .put("service", n.service())
              .put("instances", n.instances())
              .put("healthy", n.healthy());
      figures(node, n.rps(), n.errorRate(), n.p50Ms(), n.p99Ms());
    }
    ArrayNode edges = out.putArray("edges");
    for (ServiceGraph.Edge e : graph.edges()) {
      ObjectNode edge =
          edges.addObject().put("source", e.source()).put("destination", e.destination());
      figures(edge, e.rps(), e.errorRate(), e.p50Ms(), e.p99Ms());
    }
    return out;
  }

  private static void figures(ObjectNode o, double rps, double errorRate, double p50, double p99) {
    number(o, "rps", rps);
    number(o, "errorRate", errorRate);
    number(o, "p50Ms", p50);
    number(o, "p99Ms", p99);
  }

  /** JSON has no NaN: a figure that does not exist is null. Three decimals are plenty. */
  private static void number(ObjectNode o, String name, double value) {
    if (Double.isFinite(value)) {
      o.put(name, Math.round(value * 1000) / 1000.0);
    } else {
      o.putNull(name);
    }
  }

  private static void number(ArrayNode a, double value) {
    if (Double.isFinite(value)) {
      a.add(Math.round(value * 1000) / 1000.0);
    } else {
      a.addNull();
    }
  }

  private AdminServer.Streamed stream() {
    return new AdminServer.Streamed(
        "text/event-stream; charset=utf-8",
        (out, closing) -> {
          do {
            // One event per period: the graph over the last minute, on one data line (compact
            // JSON has no line breaks).
            out.write(EVENT_HEAD);
            out.write(bytes(graphJson(GraphWindow.ONE_MINUTE)));
            out.write(EVENT_END);
            out.flush();
          } while (closing.pause(STREAM_PERIOD));
        });
  }

  // ---- one service

  private JsonNode service(AdminRequest request) {
    String service = request.param("service");
    List<Instance> instances = registry.instances(service);
    ObjectNode out = JSON.createObjectNode();
    out.put("service", service);
    ArrayNode items = out.putArray("instances");
    for (Instance i : instances) {
      String region = i.labels().getOrDefault(ServiceInstance.REGION, "");
      String zone = i.labels().getOrDefault(ServiceInstance.ZONE, "");
      ObjectNode item =
          items
              .addObject()
              .put("id", i.instanceId())
              .put("address", i.address())
              .put("port", i.port())
              .put("health", Inventory.health(i))
              .put("region", region)
              .put("zone", zone)
              .put("locality", region.isEmpty() && zone.isEmpty() ? "" : region + "/" + zone);
      Optional.ofNullable(i.labels().get(ServiceInstance.VERSION))
          .ifPresent(v -> item.put("version", v));
    }
    ArrayNode routes = out.putArray("routes");
    ArrayNode policies = out.putArray("policies");
    boolean declared = false;
    for (StoredResource stored : catalog.list(Optional.empty())) {
      JsonNode body = parse(stored.body());
      String target = body.path("spec").path("service").asText("");
      if (stored.kind().equals(Kind.SERVICE.wireName())) {
        declared |= stored.name().equals(service);
        continue;
      }
      boolean meshWide = stored.kind().equals(Kind.MUTUAL_TLS.wireName()) && target.isEmpty();
      if (!target.equals(service) && !meshWide) {
        continue;
      }
      ObjectNode item =
          (stored.kind().equals(Kind.ROUTE.wireName()) ? routes : policies).addObject();
      if (!stored.kind().equals(Kind.ROUTE.wireName())) {
        item.put("kind", stored.kind());
      }
      item.put("name", stored.name()).put("revision", stored.revision());
      if (meshWide) {
        item.put("meshWide", true);
      }
      item.set("spec", body.path("spec"));
    }
    TrafficCollector.View view = collector.view();
    boolean seen =
        view
            .history()
            .graph(GraphWindow.FIVE_MINUTES, Inventory.NONE, clock.instant())
            .nodes()
            .stream()
            .anyMatch(n -> n.service().equals(service));
    if (instances.isEmpty() && !declared && !seen && routes.isEmpty() && policies.isEmpty()) {
      throw ApiException.notFound(
          "no service "
              + service
              + ": no instance, no Service resource and no traffic in the last 5 minutes");
    }
    TrafficHistory.Series series = view.history().series(service, clock.instant());
    ObjectNode s = out.putObject("series");
    ArrayNode t = s.putArray("t");
    series.t().forEach(i -> t.add(i.toEpochMilli()));
    ArrayNode rps = s.putArray("rps");
    ArrayNode errorRate = s.putArray("errorRate");
    ArrayNode p50 = s.putArray("p50Ms");
    ArrayNode p99 = s.putArray("p99Ms");
    for (int i = 0; i < series.t().size(); i++) {
      number(rps, series.rps()[i]);
      number(errorRate, series.errorRate()[i]);
      number(p50, series.p50Ms()[i]);
      number(p99, series.p99Ms()[i]);
    }
    return out;
  }

  // ---- traces

  private JsonNode searchTraces(AdminRequest request) {
    TraceQuery.Outcome outcome =
        switch (request.queryParam("status").orElse("any")) {
          case "any" -> TraceQuery.Outcome.ANY;
          case "error" -> TraceQuery.Outcome.ERROR;
          case "ok" -> TraceQuery.Outcome.OK;
          default ->
              throw ApiException.badRequest(
                  "status must be error, ok or any, got \""
                      + request.queryParam("status").orElse("")
                      + "\"");
        };
    double minDuration = decimal(request, "minDurationMs");
    long limit = request.longQueryParam("limit", TraceQuery.DEFAULT_LIMIT);
    if (limit < 1 || limit > TraceQuery.MAX_LIMIT) {
      throw ApiException.badRequest(
          "limit must be from 1 to " + TraceQuery.MAX_LIMIT + ", got " + limit);
    }
    TraceQuery query =
        new TraceQuery(
            request.queryParam("service"),
            outcome,
            minDuration,
            instant(request, "from"),
            instant(request, "to"),
            (int) limit);
    ObjectNode out = JSON.createObjectNode();
    ArrayNode items = out.putArray("traces");
    for (TraceSummary s : traces.search(query)) {
      ObjectNode item =
          items
              .addObject()
              .put("traceId", s.traceId())
              .put("rootService", s.rootService())
              .put("rootName", s.rootName())
              .put("start", s.start().toString());
      number(item, "durationMs", s.durationMs());
      item.put("spanCount", s.spanCount());
      ArrayNode services = item.putArray("services");
      s.services().forEach(services::add);
      item.put("error", s.error());
    }
    return out;
  }

  private JsonNode trace(AdminRequest request) {
    String id = request.param("traceId").toLowerCase(Locale.ROOT);
    TraceDetail detail =
        traces
            .trace(id)
            .orElseThrow(
                () ->
                    ApiException.notFound(
                        "no trace "
                            + id
                            + " in this replica's trace store (it keeps recent traces within"
                            + " --trace-memory; older ones are evicted)"));
    ObjectNode out = JSON.createObjectNode();
    out.put("traceId", id);
    ArrayNode spans = out.putArray("spans");
    for (TraceSpan s : detail.spans()) {
      ObjectNode span =
          spans
              .addObject()
              .put("spanId", s.spanId())
              .put("parentSpanId", s.parentSpanId())
              .put("service", s.service())
              .put("name", s.name())
              .put("kind", s.kind())
              .put("start", TraceStore.instant(s.startNanos()).toString());
      number(span, "durationMs", s.durationNanos() / 1e6);
      span.put("status", s.status());
      if (!s.statusMessage().isEmpty()) {
        span.put("statusMessage", s.statusMessage());
      }
      span.set("attributes", JSON.valueToTree(s.attributes()));
    }
    out.put("rootSpanId", detail.rootSpanId());
    out.put("slowestSpanId", detail.slowestSpanId());
    detail
        .failingSpanId()
        .ifPresentOrElse(f -> out.put("failingSpanId", f), () -> out.putNull("failingSpanId"));
    return out;
  }

  private static double decimal(AdminRequest request, String name) {
    Optional<String> raw = request.queryParam(name);
    if (raw.isEmpty()) {
      return 0;
    }
    try {
      double value = Double.parseDouble(raw.get());
      if (Double.isFinite(value) && value >= 0) {
        return value;
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    throw ApiException.badRequest(
        "query parameter "
            + name
            + " must be a number of milliseconds, 0 or more, got \""
            + raw.get()
            + "\"");
  }

  /** An ISO-8601 instant or milliseconds since the epoch. */
  private static Optional<Instant> instant(AdminRequest request, String name) {
    Optional<String> raw = request.queryParam(name);
    if (raw.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(Instant.ofEpochMilli(Long.parseLong(raw.get())));
    } catch (NumberFormatException e) {
      try {
        return Optional.of(Instant.parse(raw.get()));
      } catch (DateTimeParseException again) {
        throw ApiException.badRequest(
            "query parameter "
                + name
                + " must be an ISO-8601 instant (2026-01-02T10:00:00Z) or epoch milliseconds, got \""
                + raw.get()
                + "\"");
      }
    }
  }

  private static JsonNode parse(String body) {
    try {
      return JSON.readTree(body);
    } catch (JsonProcessingException e) {
      return JSON.createObjectNode();
    }
  }

  private static byte[] bytes(JsonNode node) {
    try {
      return JSON.writeValueAsBytes(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write JSON", e);
    }
  }

  /** The metric families of telemetry for {@code /metrics}. */
  public String metricsText() {
    return metrics.exposition(traces::bytes, traces::traceCount, traces.budgetBytes());
  }
}
