package dev.firemesh.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.firemesh.cli.client.AdminClient;
import dev.firemesh.cli.output.OutputFormat;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(
    name = "delete",
    description =
        "Delete one resource, as a new revision. A Service that routes still use is refused.",
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
    if (output != OutputFormat.table) {
      out.json(answer);
    } else {
      out.line("deleted " + kind + "/" + name + " as revision " + answer.path("revision").asLong());
    }
    return 0;
  }
}
