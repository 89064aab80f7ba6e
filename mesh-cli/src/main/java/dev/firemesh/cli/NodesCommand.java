package dev.firemesh.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.firemesh.cli.client.AdminClient;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;

@Command(
    name = "nodes",
    description =
        "List the xDS clients (proxies, proxyless gRPC clients) connected to the control plane, with what each has acknowledged or refused.",
    footer = {"%nExample:", "  firemesh nodes"})
final class NodesCommand extends AdminCommand {
  @Override
  int run(AdminClient client) {
    JsonNode answer = client.get("/v1/xds/nodes");
    switch (output) {
      case json -> out.json(answer);
      case yaml -> out.yaml(List.of(answer));
      case table -> {
        List<List<String>> rows = new ArrayList<>();
        for (JsonNode node : answer.path("items")) {
          for (JsonNode type : node.path("types")) {
            rows.add(
                List.of(
                    node.path("nodeId").asText(),
                    type.path("type").asText(),
                    type.path("sent").asText(),
                    type.path("acked").asText(),
                    type.path("nack").asText("")));
          }
        }
        out.table(List.of("NODE", "TYPE", "SENT", "ACKED", "LAST NACK"), rows);
      }
    }
    return 0;
  }
}
