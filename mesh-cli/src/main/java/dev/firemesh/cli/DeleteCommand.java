package dev.firemesh.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.firemesh.cli.client.AdminClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(
    name = "delete",
    description = {
      "Delete one resource, as a new revision.",
      "Refused while other resources refer to it, such as a Service that a Route uses."
    },
    footer = {"%nExample:", "  firemesh delete route orders"})
final class DeleteCommand extends AdminCommand {
  @Parameters(index = "0", paramLabel = "KIND")
  String kind;

  @Parameters(index = "1", paramLabel = "NAME")
  String name;

  @Override
  int run(AdminClient client) {
    JsonNode answer =
        client.delete("/v1/resources/" + AdminClient.encode(kind) + "/" + AdminClient.encode(name));
    if (printedAsData(answer)) {
      return 0;
    }
    // The kind as the control plane spells it (Config), not as typed (config, configs).
    for (JsonNode change : answer.path("changes")) {
      out.line(
          "deleted "
              + change.path("kind").asText()
              + "/"
              + change.path("name").asText()
              + " as revision "
              + answer.path("revision").asLong());
    }
    return 0;
  }
}
