package dev.firemesh.cli;

import dev.firemesh.cli.client.AdminClient;
import dev.firemesh.workload.admin.AdminCallException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

@Command(
    name = "version",
    description = "Print the CLI's version and, if one is reachable, the control plane's.",
    footer = {"%nExample:%n  firemesh version"})
final class VersionCommand implements Callable<Integer> {
  @Mixin Connection connection;
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    var out = spec.commandLine().getOut();
    out.println("firemesh CLI " + FireMesh.VERSION + " (Java " + Runtime.version() + ")");
    try {
      AdminClient client = connection.client();
      var answer = client.get("/v1/version");
      out.println(
          "control plane "
              + answer.path("version").asText()
              + " at "
              + client.base()
              + ", store: "
              + answer.path("store").asText()
              + ", revision "
              + answer.path("revision").asLong());
    } catch (AdminCallException e) {
      out.println(
          "control plane: "
              + (e.status() == 0 ? "not reachable" : "refused the call")
              + " ("
              + connection.explain(e).orElse(e.getMessage())
              + ")");
    } catch (BadInputException e) {
      out.println("control plane: unknown (" + e.getMessage() + ")");
    }
    out.flush();
    return 0;
  }
}
