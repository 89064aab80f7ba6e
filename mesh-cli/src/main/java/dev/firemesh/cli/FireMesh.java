package dev.firemesh.cli;

import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code firemesh} command. */
@Command(
    name = "firemesh",
    mixinStandardHelpOptions = true,
    scope = CommandLine.ScopeType.INHERIT, // --help and --version on every subcommand
    versionProvider = FireMesh.Version.class,
    description = "FireMesh: the service mesh and service chassis for trading platforms.",
    subcommands = {
      ControlCommand.class,
      DemoCommand.class,
      ProxyCommand.class,
      ApplyCommand.class,
      GetCommand.class,
      DeleteCommand.class,
      HistoryCommand.class,
      DiffCommand.class,
      RollbackCommand.class,
      InstancesCommand.class,
      RegisterCommand.class,
      NodesCommand.class,
      VersionCommand.class,
      AutoComplete.GenerateCompletion.class,
      CommandLine.HelpCommand.class
    },
    footer = {
      "%nStart here:",
      "  firemesh demo                    a control plane with the sample trading mesh",
      "  firemesh control --data-dir DIR  run a control plane",
      "  firemesh apply -f examples/trading/mesh/",
      "%nShell completion: source <(firemesh generate-completion)"
    })
public final class FireMesh {
  static final String VERSION =
      FireMesh.class.getPackage().getImplementationVersion() != null
          ? FireMesh.class.getPackage().getImplementationVersion()
          : "0.1.0-SNAPSHOT";

  private FireMesh() {}

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  public static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new FireMesh());
    cli.setCaseInsensitiveEnumValuesAllowed(true);
    // Bad local input from any command is a message and exit code 2, never a stack trace.
    cli.setExecutionExceptionHandler(
        (e, command, parsed) -> {
          if (e instanceof BadInputException) {
            command.getErr().println("error: " + e.getMessage());
            command.getErr().flush();
            return AdminCommand.BAD_INPUT;
          }
          throw e;
        });
    var completion = cli.getSubcommands().get("generate-completion").getCommandSpec();
    completion.usageMessage().hidden(false);
    // Subcommands inherit the root's footer (scope INHERIT) unless they set their own.
    completion
        .usageMessage()
        .footer(
            "%nTo keep it:",
            "  firemesh generate-completion > ~/.local/share/bash-completion/completions/firemesh");
    cli.getSubcommands()
        .get("help")
        .getCommandSpec()
        .usageMessage()
        .footer("%nExamples:", "  firemesh help", "  firemesh help apply");
    return cli;
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"firemesh " + VERSION};
    }
  }
}
