package dev.firemesh.cli;

import dev.firemesh.bench.events.EventsBenchCommand;
import dev.firemesh.bench.harness.HarnessCommand;
import dev.firemesh.cli.log.StderrLogging;
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
      RunCommand.class,
      ApplyCommand.class,
      GetCommand.class,
      DeleteCommand.class,
      HistoryCommand.class,
      DiffCommand.class,
      RollbackCommand.class,
      InstancesCommand.class,
      RegisterCommand.class,
      NodesCommand.class,
      GraphCommand.class,
      TracesCommand.class,
      CanaryCommand.class,
      ConfigCommand.class,
      TokenCommand.class,
      SvidCommand.class,
      OperatorCommand.class,
      CaCommand.class,
      EventsCommand.class,
      TasksCommand.class,
      VersionCommand.class,
      AutoComplete.GenerateCompletion.class,
      CommandLine.HelpCommand.class
    },
    footer = {
      "%nStart here:",
      "  firemesh demo                    a control plane with the sample trading mesh",
      "  firemesh control --data-dir DIR  run a control plane",
      "  firemesh apply -f examples/trading/mesh/",
      "  firemesh bench --smoke           the sidecar pair against no proxy, HAProxy and nginx",
      "  firemesh bench events --smoke    the chassis's event store, commands and subscriptions",
      "%nShell completion: source <(firemesh generate-completion)"
    })
public final class FireMesh {
  static final String VERSION =
      FireMesh.class.getPackage().getImplementationVersion() != null
          ? FireMesh.class.getPackage().getImplementationVersion()
          : "0.1.0-SNAPSHOT";

  private FireMesh() {}

  public static void main(String[] args) {
    boolean sidecar = args.length > 0 && (args[0].equals("proxy") || args[0].equals("run"));
    if (sidecar) {
      // Before any logger exists: logback and its XML configuration are ~700 classes.
      StderrLogging.select();
    }
    CommandLine cli = sidecar ? sidecarCommandLine(args[0]) : commandLine();
    System.exit(cli.execute(args));
  }

  public static CommandLine commandLine() {
    CommandLine cli = configured(new CommandLine(new FireMesh()));
    // built here, not listed above: the harness is told how to start FireMesh processes
    cli.addSubcommand("bench", new HarnessCommand(java.util.Optional.of(BenchLauncher.current())));
    cli.getSubcommands().get("bench").addSubcommand("events", new EventsBenchCommand());
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

  /**
   * The command line of a sidecar process ({@code firemesh proxy ...}, {@code firemesh run ...}):
   * the same root, with only that subcommand. Picocli instantiates and reflects over every
   * registered subcommand, so the full tree would load and keep every other command's classes and
   * model in a process that runs for days on a small fixed heap.
   */
  static CommandLine sidecarCommandLine(String command) {
    CommandLine root = new CommandLine(new SidecarRoot());
    root.addSubcommand(command.equals("run") ? new RunCommand() : new ProxyCommand());
    return configured(root);
  }

  private static CommandLine configured(CommandLine cli) {
    cli.setCaseInsensitiveEnumValuesAllowed(true);
    CommandLine run = cli.getSubcommands().get("run");
    if (run != null) {
      // `firemesh run --service s java -jar app.jar -Xfoo`: the app's options are the app's.
      run.setStopAtPositional(true);
    }
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
    return cli;
  }

  /** The root of {@link #sidecarCommandLine}: {@link FireMesh}'s options, one subcommand. */
  @Command(
      name = "firemesh",
      mixinStandardHelpOptions = true,
      scope = CommandLine.ScopeType.INHERIT,
      versionProvider = FireMesh.Version.class)
  static final class SidecarRoot {}

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"firemesh " + VERSION};
    }
  }
}
