package dev.firemesh.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.firemesh.cli.client.AdminClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(
    name = "rollback",
    description = {
      "Restore the resources as they were at a revision.",
      "The rollback is itself a new revision; nothing is changed if the state already equals it."
    },
    footer = {"%nExample:", "  firemesh rollback 4"})
final class RollbackCommand extends AdminCommand {
  @Parameters(index = "0", paramLabel = "REVISION")
  long revision;

  @Override
  int run(AdminClient client) {
    JsonNode answer =
        client.post(
            "/v1/rollback", JsonNodeFactory.instance.objectNode().put("revision", revision));
    if (printedAsData(answer)) {
      return 0;
    }
    Changes.print(out, answer.path("changes"), false);
    out.line(
        answer.path("unchanged").asBoolean()
            ? "unchanged: the state already equals revision " + revision
            : "rolled back to revision "
                + revision
                + " as revision "
                + answer.path("revision").asLong());
    return 0;
  }
}
