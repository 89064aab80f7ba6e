package dev.firemesh.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** A sidecar process parses `firemesh proxy ...` with a one-command tree; users see no change. */
class SidecarCommandLineTest {

  @Test
  void theSidecarTreeHoldsOnlyTheProxyCommand() {
    assertThat(FireMesh.sidecarCommandLine().getSubcommands()).containsOnlyKeys("proxy");
  }

  @Test
  void proxyHelpIsTheSameInBothTrees() {
    CommandLine full = FireMesh.commandLine().getSubcommands().get("proxy");
    CommandLine sidecar = FireMesh.sidecarCommandLine().getSubcommands().get("proxy");

    assertThat(sidecar.getUsageMessage(CommandLine.Help.Ansi.OFF))
        .isEqualTo(full.getUsageMessage(CommandLine.Help.Ansi.OFF))
        .contains("--app-port");
    assertThat(sidecar.getCommandSpec().qualifiedName()).isEqualTo("firemesh proxy");
  }

  @Test
  void badInputIsAMessageAndExitCodeTwoAsInTheFullTree() {
    var err = new java.io.StringWriter();
    CommandLine cli = FireMesh.sidecarCommandLine();
    cli.setErr(new java.io.PrintWriter(err));

    int code = cli.execute("proxy", "--service", "s", "--app-port", "1", "--lease-ttl", "0s");

    assertThat(code).isEqualTo(2);
    assertThat(err.toString()).contains("error: --lease-ttl");
  }
}
