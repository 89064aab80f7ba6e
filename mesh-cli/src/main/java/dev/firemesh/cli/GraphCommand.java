package dev.firemesh.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.firemesh.cli.client.AdminClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "graph",
    description = {
      "Show the live service graph with requests/s, errors and latency.",
      "Each service, and each call between two services, over a sliding window.",
      "Figures come from the control plane's collector, which reads every connected sidecar's"
          + " metrics; a caller without a sidecar shows as 'unknown'."
    },
    footer = {"%nExamples:", "  firemesh graph", "  firemesh graph --window 5m -o json"})
final class GraphCommand extends AdminCommand {
  @Option(
      names = "--window",
      paramLabel = "WINDOW",
      defaultValue = "1m",
      description = "Sliding window: 10s, 1m or 5m (default: ${DEFAULT-VALUE}).")
  String window;

  @Override
  int run(AdminClient client) {
    if (!List.of("10s", "1m", "5m").contains(window)) {
      throw new BadInputException("--window must be 10s, 1m or 5m, not '" + window + "'");
    }
    JsonNode graph = client.get("/v1/telemetry/graph?window=" + window);
    if (printedAsData(graph)) {
      return 0;
    }
    List<List<String>> services = new ArrayList<>();
    for (JsonNode node : graph.path("nodes")) {
      services.add(
          List.of(
              node.path("service").asText(),
              node.path("healthy").asInt() + "/" + node.path("instances").asInt(),
              rate(node.path("rps")),
              percent(node.path("errorRate")),
              millis(node.path("p50Ms")),
              millis(node.path("p99Ms"))));
    }
    out.table(List.of("SERVICE", "HEALTHY", "REQ/S", "ERRORS", "P50", "P99"), services);
    out.line("");
    List<List<String>> calls = new ArrayList<>();
    for (JsonNode edge : graph.path("edges")) {
      calls.add(
          List.of(
              edge.path("source").asText() + " -> " + edge.path("destination").asText(),
              rate(edge.path("rps")),
              percent(edge.path("errorRate")),
              millis(edge.path("p50Ms")),
              millis(edge.path("p99Ms"))));
    }
    out.table(List.of("CALL", "REQ/S", "ERRORS", "P50", "P99"), calls);
    out.line("");
    out.line("window " + graph.path("window").asText(window) + " at " + graph.path("at").asText());
    return 0;
  }

  static String rate(JsonNode value) {
    return value.isNumber() ? String.format(Locale.ROOT, "%.1f", value.asDouble()) : "-";
  }

  /** The API gives a fraction; people read percentages. */
  static String percent(JsonNode fraction) {
    return fraction.isNumber()
        ? String.format(Locale.ROOT, "%.2f%%", fraction.asDouble() * 100)
        : "-";
  }

  static String millis(JsonNode value) {
    if (!value.isNumber()) {
      return "-";
    }
    double ms = value.asDouble();
    String digits = ms < 10 ? "%.2fms" : ms < 100 ? "%.1fms" : "%.0fms";
    return String.format(Locale.ROOT, digits, ms);
  }
}
