package dev.firemesh.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.firemesh.cli.client.AdminClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(
    name = "instances",
    description = "List registered instances with unexpired leases, of one service or all.",
    footer = {"%nExamples:", "  firemesh instances", "  firemesh instances orders -o json"})
final class InstancesCommand extends AdminCommand {
  @Parameters(index = "0", arity = "0..1", paramLabel = "SERVICE")
  String service;

  @Override
  int run(AdminClient client) {
    JsonNode answer =
        client.get(
            "/v1/instances" + (service == null ? "" : "?service=" + AdminClient.encode(service)));
    switch (output) {
      case json -> out.json(answer);
      case yaml -> out.yaml(List.of(answer));
      case table -> {
        List<List<String>> rows = new ArrayList<>();
        for (JsonNode i : answer.path("items")) {
          Map<String, String> labels = new TreeMap<>();
          i.path("labels")
              .fields()
              .forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
          rows.add(
              List.of(
                  i.path("service").asText(),
                  i.path("instanceId").asText(),
                  i.path("address").asText() + ":" + i.path("port").asInt(),
                  labels.entrySet().stream()
                      .map(e -> e.getKey() + "=" + e.getValue())
                      .reduce((a, b) -> a + "," + b)
                      .orElse(""),
                  i.path("expiresAt").asText()));
        }
        out.table(List.of("SERVICE", "INSTANCE", "ADDRESS", "LABELS", "LEASE EXPIRES (UTC)"), rows);
      }
    }
    return 0;
  }
}
