package dev.firemesh.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.firemesh.cli.client.AdminClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(
    name = "diff",
    description = {
      "Show what changed between two revisions.",
      "TO defaults to the latest revision; removed lines (-) come before added ones (+)."
    },
    footer = {"%nExamples:", "  firemesh diff 3", "  firemesh diff 3 5"})
final class DiffCommand extends AdminCommand {
  @Parameters(index = "0", paramLabel = "FROM")
  long from;

  @Parameters(index = "1", arity = "0..1", paramLabel = "TO")
  Long to;

  @Override
  int run(AdminClient client) {
    JsonNode answer = client.get("/v1/diff?from=" + from + (to == null ? "" : "&to=" + to));
    if (printedAsData(answer)) {
      return 0;
    }
    out.line("revision " + answer.path("from").asLong() + " -> " + answer.path("to").asLong());
    Changes.print(out, answer.path("changes"), true);
    return 0;
  }
}
