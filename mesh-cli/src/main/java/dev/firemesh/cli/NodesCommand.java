package dev.firemesh.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.firemesh.cli.client.AdminClient;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;

@Command(
    name = "nodes",
    description = {
      "List the xDS clients the control plane knows, with what each acknowledged or refused.",
      "Clients are proxies and proxyless gRPC clients; one that disconnected stays listed for 5"
          + " minutes (CONNECTED no)."
    },
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
                    node.path("connected").asBoolean() ? "yes" : "no",
                    node.path("connectedSince").asText(),
                    node.path("identity").asText("-"),
                    node.path("adminAddress").asText("-"),
                    type.path("type").asText(),
                    type.path("sent").asText(),
                    type.path("acked").asText(),
                    type.path("nack").asText("")));
          }
        }
        out.table(
            List.of(
                "NODE",
                "CONNECTED",
                "CONNECTED AT (UTC)",
                "IDENTITY",
                "ADMIN",
                "TYPE",
                "SENT",
                "ACKED",
                "LAST NACK"),
            rows);
      }
    }
    return 0;
  }
}
