package dev.firemesh.cli;

import dev.firemesh.cli.client.AdminCallException;
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
      var answer = connection.client().get("/v1/version");
      out.println(
          "control plane "
              + answer.path("version").asText()
              + " at "
              + connection.client().base()
              + ", store: "
              + answer.path("store").asText()
              + ", revision "
              + answer.path("revision").asLong());
    } catch (AdminCallException e) {
      out.println("control plane: not reachable (" + e.getMessage() + ")");
    }
    out.flush();
    return 0;
  }
}
