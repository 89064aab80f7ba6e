package dev.firemesh.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.firemesh.cli.output.Printer;
import dev.firemesh.cli.output.UnifiedDiff;

/** Prints a list of resource changes, each with a YAML diff of its before and after. */
final class Changes {
  private Changes() {}

  static void print(Printer out, JsonNode changes, boolean withDiff) {
    if (changes.isEmpty()) {
      out.line("no changes");
      return;
    }
    for (JsonNode change : changes) {
      out.line(
          change.path("op").asText()
              + " "
              + change.path("kind").asText()
              + "/"
              + change.path("name").asText());
      if (withDiff) {
        String before = yamlOrEmpty(change.path("before"));
        String after = yamlOrEmpty(change.path("after"));
        for (String line : UnifiedDiff.lines(before, after)) {
          out.line("    " + line);
        }
      }
    }
  }

  private static String yamlOrEmpty(JsonNode doc) {
    return doc.isMissingNode() || doc.isNull() ? "" : Printer.toYaml(doc);
  }
}
