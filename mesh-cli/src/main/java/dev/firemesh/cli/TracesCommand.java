package dev.firemesh.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.firemesh.api.codec.Durations;
import dev.firemesh.cli.client.AdminClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "traces",
    description = {
      "Search the recent traces the control plane keeps, or show one trace as a waterfall.",
      "Sidecars send the spans of sampled requests, of every failed request and of every slow one."
    },
    footer = {
      "%nExamples:",
      "  firemesh traces --service orders --status error",
      "  firemesh traces --min-duration 250ms --limit 10",
      "  firemesh traces 4bf92f3577b34da6a3ce929d0e0e4736"
    })
final class TracesCommand extends AdminCommand {
  /** Width of the waterfall's bar column, in characters. */
  static final int BAR_WIDTH = 40;

  @Parameters(
      arity = "0..1",
      paramLabel = "TRACE_ID",
      description = "Show this trace (32 hex digits) instead of searching.")
  String traceId;

  @Option(names = "--service", paramLabel = "SERVICE", description = "Traces through SERVICE.")
  String service;

  @Option(
      names = "--status",
      paramLabel = "STATUS",
      defaultValue = "any",
      description = "error, ok or any (default: ${DEFAULT-VALUE}).")
  String status;

  @Option(
      names = "--min-duration",
      paramLabel = "DURATION",
      description = "Only traces at least this long, e.g. 250ms.")
  String minDuration;

  @Option(
      names = "--limit",
      paramLabel = "N",
      defaultValue = "20",
      description = "At most N traces, newest first (default: ${DEFAULT-VALUE}).")
  int limit;

  @Override
  int run(AdminClient client) {
    if (traceId != null) {
      return show(client.get("/v1/telemetry/traces/" + AdminClient.encode(traceId)));
    }
    return search(client.get(query()));
  }

  private String query() {
    if (!List.of("error", "ok", "any").contains(status)) {
      throw new BadInputException("--status must be error, ok or any, not '" + status + "'");
    }
    if (limit < 1) {
      throw new BadInputException("--limit must be at least 1");
    }
    StringBuilder query = new StringBuilder("/v1/telemetry/traces?status=").append(status);
    query.append("&limit=").append(limit);
    if (service != null) {
      query.append("&service=").append(AdminClient.encode(service));
    }
    if (minDuration != null) {
      Duration min =
          Durations.parse(minDuration)
              .orElseThrow(
                  () ->
                      new BadInputException(
                          "--min-duration must be a duration like 250ms or 2s, not '"
                              + minDuration
                              + "'"));
      query.append("&minDurationMs=").append(min.toMillis());
    }
    return query.toString();
  }

  private int search(JsonNode answer) {
    if (printedAsData(answer)) {
      return 0;
    }
    List<List<String>> rows = new ArrayList<>();
    for (JsonNode trace : answer.path("traces")) {
      List<String> services = new ArrayList<>();
      trace.path("services").forEach(s -> services.add(s.asText()));
      rows.add(
          List.of(
              trace.path("traceId").asText(),
              trace.path("start").asText(),
              GraphCommand.millis(trace.path("durationMs")),
              trace.path("error").asBoolean() ? "error" : "ok",
              Integer.toString(trace.path("spanCount").asInt()),
              trace.path("rootService").asText() + " " + trace.path("rootName").asText(),
              String.join(",", services)));
    }
    out.table(
        List.of("TRACE", "START (UTC)", "DURATION", "STATUS", "SPANS", "ROOT", "SERVICES"), rows);
    return 0;
  }

  /** One line per span, children under their parent, with a bar placed on the trace's time. */
  private int show(JsonNode trace) {
    if (printedAsData(trace)) {
      return 0;
    }
    List<JsonNode> spans = new ArrayList<>();
    trace.path("spans").forEach(spans::add);
    spans.sort(Comparator.comparingDouble(TracesCommand::startMicros));
    double first = spans.isEmpty() ? 0 : startMicros(spans.getFirst());
    double last = first;
    for (JsonNode span : spans) {
      last = Math.max(last, startMicros(span) + span.path("durationMs").asDouble() * 1000);
    }
    double total = Math.max(1, last - first);
    Map<String, List<JsonNode>> children = new HashMap<>();
    List<JsonNode> roots = new ArrayList<>();
    java.util.Set<String> ids = new java.util.HashSet<>();
    spans.forEach(s -> ids.add(s.path("spanId").asText()));
    for (JsonNode span : spans) {
      String parent = span.path("parentSpanId").asText("");
      if (parent.isEmpty() || !ids.contains(parent)) {
        roots.add(span);
      } else {
        children.computeIfAbsent(parent, p -> new ArrayList<>()).add(span);
      }
    }
    List<List<String>> rows = new ArrayList<>();
    String slowest = trace.path("slowestSpanId").asText("");
    String failing = trace.path("failingSpanId").asText("");
    for (JsonNode root : roots) {
      addRows(root, 0, children, first, total, slowest, failing, rows);
    }
    out.line("trace " + trace.path("traceId").asText());
    out.table(List.of("SPAN", "SERVICE", "KIND", "STATUS", "DURATION", "TIMELINE", "MARK"), rows);
    return 0;
  }

  private static void addRows(
      JsonNode span,
      int depth,
      Map<String, List<JsonNode>> children,
      double first,
      double total,
      String slowest,
      String failing,
      List<List<String>> rows) {
    String id = span.path("spanId").asText();
    double offset = (startMicros(span) - first) / total;
    double width = span.path("durationMs").asDouble() * 1000 / total;
    String mark = id.equals(failing) ? "failing" : id.equals(slowest) ? "slowest" : "";
    rows.add(
        List.of(
            "  ".repeat(depth) + span.path("name").asText(),
            span.path("service").asText(),
            span.path("kind").asText().toLowerCase(Locale.ROOT),
            span.path("status").asText(),
            GraphCommand.millis(span.path("durationMs")),
            bar(offset, width),
            mark));
    for (JsonNode child : children.getOrDefault(id, List.of())) {
      addRows(child, depth + 1, children, first, total, slowest, failing, rows);
    }
  }

  /** A bar of at least one character, so even a very short span shows where it was. */
  static String bar(double offset, double width) {
    int start = (int) Math.min(BAR_WIDTH - 1, Math.floor(offset * BAR_WIDTH));
    int length = (int) Math.max(1, Math.min(BAR_WIDTH - start, Math.round(width * BAR_WIDTH)));
    return " ".repeat(start) + "#".repeat(length) + " ".repeat(BAR_WIDTH - start - length);
  }

  /** Span starts are RFC 3339 instants; as micros since the epoch for placing bars. */
  private static double startMicros(JsonNode span) {
    java.time.Instant start = java.time.Instant.parse(span.path("start").asText());
    return start.getEpochSecond() * 1e6 + start.getNano() / 1e3;
  }
}
