package dev.firemesh.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.firemesh.cli.client.AdminClient;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "history",
    description = "List revisions, newest first: who applied what, and when.",
    footer = {"%nExamples:", "  firemesh history", "  firemesh history --limit 5 -o json"})
final class HistoryCommand extends AdminCommand {
  @Option(
      names = "--limit",
      paramLabel = "N",
      defaultValue = "20",
      description = "At most N revisions (default: ${DEFAULT-VALUE}).")
  int limit;

  @Override
  int run(AdminClient client) {
    JsonNode answer = client.get("/v1/revisions?limit=" + limit);
    switch (output) {
      case json -> out.json(answer);
      case yaml -> out.yaml(List.of(answer));
      case table -> {
        List<List<String>> rows = new ArrayList<>();
        for (JsonNode r : answer.path("items")) {
          List<String> changed = new ArrayList<>();
          r.path("changes").forEach(c -> changed.add(sign(c) + key(c)));
          rows.add(
              List.of(
                  Long.toString(r.path("revision").asLong()),
                  r.path("time").asText(),
                  r.path("actor").asText(),
                  r.path("message").asText(),
                  String.join(" ", changed)));
        }
        out.table(List.of("REVISION", "TIME (UTC)", "BY", "MESSAGE", "CHANGES"), rows);
      }
    }
    return 0;
  }

  /** + created, - deleted, ~ updated. */
  private static String sign(JsonNode change) {
    return switch (change.path("op").asText()) {
      case "created" -> "+";
      case "deleted" -> "-";
      default -> "~";
    };
  }

  private static String key(JsonNode change) {
    return change.path("kind").asText() + "/" + change.path("name").asText();
  }
}
