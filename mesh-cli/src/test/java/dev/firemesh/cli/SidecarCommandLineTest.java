package dev.firemesh.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * A sidecar process parses `firemesh proxy ...` or `firemesh run ...` with a one-command tree;
 * users see no change.
 */
class SidecarCommandLineTest {

  @Test
  void theSidecarTreeHoldsOnlyTheProxyCommand() {
    assertThat(FireMesh.sidecarCommandLine("proxy").getSubcommands()).containsOnlyKeys("proxy");
  }

  @Test
  void proxyHelpIsTheSameInBothTrees() {
    CommandLine full = FireMesh.commandLine().getSubcommands().get("proxy");
    CommandLine sidecar = FireMesh.sidecarCommandLine("proxy").getSubcommands().get("proxy");

    assertThat(sidecar.getUsageMessage(CommandLine.Help.Ansi.OFF))
        .isEqualTo(full.getUsageMessage(CommandLine.Help.Ansi.OFF))
        .contains("--app-port");
    assertThat(sidecar.getCommandSpec().qualifiedName()).isEqualTo("firemesh proxy");
  }

  @Test
  void badInputIsAMessageAndExitCodeTwoAsInTheFullTree() {
    var err = new java.io.StringWriter();
    CommandLine cli = FireMesh.sidecarCommandLine("proxy");
    cli.setErr(new java.io.PrintWriter(err));

    int code = cli.execute("proxy", "--service", "s", "--app-port", "1", "--lease-ttl", "0s");

    assertThat(code).isEqualTo(2);
    assertThat(err.toString()).contains("error: --lease-ttl");
  }

  @Test
  void theRunTreeHoldsOnlyTheRunCommandWithTheSameHelp() {
    CommandLine sidecar = FireMesh.sidecarCommandLine("run");
    assertThat(sidecar.getSubcommands()).containsOnlyKeys("run");

    assertThat(sidecar.getSubcommands().get("run").getUsageMessage(CommandLine.Help.Ansi.OFF))
        .isEqualTo(
            FireMesh.commandLine()
                .getSubcommands()
                .get("run")
                .getUsageMessage(CommandLine.Help.Ansi.OFF))
        // the proxy's options, from the same class
        .contains("--app-port", "--upstream", "--drain-delay", "--health-path", "--max-restarts");
  }

  @Test
  void theAppsOwnOptionsAfterItsCommandAreTheApps() {
    for (CommandLine cli :
        new CommandLine[] {FireMesh.commandLine(), FireMesh.sidecarCommandLine("run")}) {
      var parsed =
          cli.parseArgs(
              "run", "--service", "s", "java", "-jar", "app.jar", "--service", "other", "--help");
      RunCommand run = (RunCommand) parsed.subcommand().commandSpec().userObject();

      assertThat(run.command)
          .containsExactly("java", "-jar", "app.jar", "--service", "other", "--help");
      assertThat(run.options.service).isEqualTo("s");
    }
  }

  @Test
  void appRegistersIsAnOptionOfProxyAndRunAlike() {
    for (String[] command : new String[][] {{"proxy"}, {"run", "--", "java", "-jar", "app.jar"}}) {
      List<String> args =
          new ArrayList<>(
              List.of(command[0], "--service", "s", "--app-port", "1", "--app-registers"));
      args.addAll(List.of(command).subList(1, command.length));
      var parsed = FireMesh.commandLine().parseArgs(args.toArray(String[]::new));
      Object user = parsed.subcommand().commandSpec().userObject();
      SidecarOptions options =
          user instanceof ProxyCommand proxy ? proxy.options : ((RunCommand) user).options;

      assertThat(options.appRegisters).as(command[0]).isTrue();
    }
    var defaults = FireMesh.commandLine().parseArgs("proxy", "--service", "s", "--app-port", "1");
    assertThat(
            ((ProxyCommand) defaults.subcommand().commandSpec().userObject()).options.appRegisters)
        .isFalse();
  }

  @Test
  void runRefusesBadSupervisionOptionsWithExitCodeTwo() {
    var err = new java.io.StringWriter();
    CommandLine cli = FireMesh.sidecarCommandLine("run");
    cli.setErr(new java.io.PrintWriter(err));

    int code = cli.execute("run", "--service", "s", "--health-path", "/health", "--", "true");

    assertThat(code).isEqualTo(2);
    assertThat(err.toString()).contains("error: --health-path needs the app's HTTP port");
  }

  @Test
  void proxyStillNeedsAnAppPort() {
    var err = new java.io.StringWriter();
    CommandLine cli = FireMesh.sidecarCommandLine("proxy");
    cli.setErr(new java.io.PrintWriter(err));

    assertThat(cli.execute("proxy", "--service", "s")).isEqualTo(2);
    assertThat(err.toString()).contains("error: --app-port is required");
  }

  @Test
  void aSidecarWithNoJoinTokenAndNoOperatorCredentialsSaysHowToGetAnIdentity(@TempDir Path empty) {
    var err = new java.io.StringWriter();
    CommandLine cli = FireMesh.sidecarCommandLine("proxy");
    cli.setErr(new java.io.PrintWriter(err));

    int code =
        cli.execute(
            "proxy",
            "--service",
            "orders",
            "--env",
            "prod",
            "--app-port",
            "1",
            "--data-dir",
            empty.toString());

    assertThat(code).isEqualTo(2);
    assertThat(err.toString())
        .contains("no join token")
        .contains("firemesh token create --service orders --env prod");
  }
}
