package dev.firemesh.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.firemesh.cli.client.AdminCallException;
import dev.firemesh.cli.client.AdminClient;
import dev.firemesh.cli.output.OutputFormat;
import dev.firemesh.cli.output.Printer;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * A command that talks to the admin API. Turns refusals into a clear message on stderr and an exit
 * code: 1 when the control plane refused or failed the call, 2 for bad local input (an unreadable
 * file), 3 when the control plane could not be reached.
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
    try {
      return run(connection.client());
    } catch (AdminCallException e) {
      report(spec.commandLine().getErr(), e);
      return e.status() == 0 ? UNREACHABLE : REFUSED;
    } catch (IllegalArgumentException e) {
      spec.commandLine().getErr().println("error: " + e.getMessage());
      return BAD_INPUT;
    }
  }

  abstract int run(AdminClient client);

  static void report(PrintWriter err, AdminCallException e) {
    err.println("error: " + e.getMessage());
    JsonNode problems = e.error().path("detail").path("problems");
    for (JsonNode p : problems) {
      err.println(
          "  "
              + p.path("file").asText()
              + ":"
              + p.path("line").asInt()
              + ":"
              + p.path("column").asInt()
              + ": "
              + p.path("field").asText()
              + ": "
              + p.path("message").asText());
    }
    err.flush();
  }
}
