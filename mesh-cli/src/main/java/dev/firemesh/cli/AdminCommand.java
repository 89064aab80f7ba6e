package dev.firemesh.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.firemesh.cli.client.AdminClient;
import dev.firemesh.cli.output.OutputFormat;
import dev.firemesh.cli.output.Printer;
import dev.firemesh.workload.admin.AdminCallException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * A command that talks to the admin API. Turns refusals into a clear message on stderr and an exit
 * code: 1 when the control plane refused or failed the call, 2 for bad local input (an unreadable
 * file, a missing token file, a bad option value), 3 when the control plane could not be reached.
 */
abstract class AdminCommand implements Callable<Integer> {
  static final int REFUSED = 1;
  static final int BAD_INPUT = 2;
  static final int UNREACHABLE = 3;

  @Mixin Connection connection;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FORMAT",
      description = "Output format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).",
      defaultValue = "table")
  OutputFormat output;

  @Spec CommandSpec spec;

  Printer out;

  @Override
  public final Integer call() {
    out = new Printer(spec.commandLine().getOut());
    PrintWriter err = spec.commandLine().getErr();
    try {
      return run(connection.client());
    } catch (AdminCallException e) {
      report(err, connection.explain(e).orElse(e.getMessage()), AdminClient.error(e));
      return e.status() == 0 ? UNREACHABLE : REFUSED;
    } catch (BadInputException e) {
      err.println("error: " + e.getMessage());
      err.flush();
      return BAD_INPUT;
    }
  }

  abstract int run(AdminClient client);

  /**
   * Prints the API's answer as it came, for {@code -o json} and {@code -o yaml}.
   *
   * @return false for {@code -o table}, when the command prints its own text instead
   */
  boolean printedAsData(JsonNode answer) {
    switch (output) {
      case json -> out.json(answer);
      case yaml -> out.yaml(List.of(answer));
      case table -> {
        return false;
      }
    }
    return true;
  }

  static void report(PrintWriter err, String message, JsonNode error) {
    err.println("error: " + message);
    JsonNode detail = error.path("detail");
    for (JsonNode p : detail.path("problems")) {
      err.println("  " + problem(p));
    }
    if (detail.path("omitted").asInt() > 0) {
      err.println("  ... and " + detail.path("omitted").asInt() + " more");
    }
    err.flush();
  }

  /**
   * One problem as {@code file:line:column: field: message}, leaving out the parts it lacks: a YAML
   * syntax error has no field, a refused delete has no place in a file.
   */
  static String problem(JsonNode p) {
    List<String> parts = new ArrayList<>();
    String file = p.path("file").asText("");
    int line = p.path("line").asInt();
    int column = p.path("column").asInt();
    if (!file.isEmpty()) {
      parts.add(file + (line > 0 ? ":" + line + (column > 0 ? ":" + column : "") : ""));
    }
    String field = p.path("field").asText("");
    if (!field.isEmpty()) {
      parts.add(field);
    }
    parts.add(p.path("message").asText(""));
    return String.join(": ", parts);
  }
}
