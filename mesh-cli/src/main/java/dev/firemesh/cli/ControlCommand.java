package dev.firemesh.cli;

import dev.firemesh.control.ControlPlane;
import dev.firemesh.control.ControlPlaneFiles;
import dev.firemesh.control.PortInUseException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "control",
    description = {
      "Run the control plane: admin API, registry and xDS server, on PostgreSQL.",
      "Without --store it starts an embedded PostgreSQL under <data-dir>/pg."
    },
    footer = {
      "%nExamples:",
      "  firemesh control",
      "  firemesh control --data-dir /var/lib/firemesh --admin-port 7070 --xds-port 18000",
      "  firemesh control --store postgresql://firemesh:secret@db1:5432/firemesh",
      "%nThe admin token is written to <data-dir>/admin.token (mode 0600); the CLI reads it there."
    })
final class ControlCommand implements Callable<Integer> {
  @Option(
      names = "--data-dir",
      paramLabel = "DIR",
      description = "Where state lives (default: $FIREMESH_DATA_DIR or ~/.firemesh).")
  Path dataDir;

  @Option(
      names = "--store",
      paramLabel = "URL",
      description =
          "External PostgreSQL, postgresql://user:pass@host:port/db or jdbc:postgresql://...")
  String store;

  @Option(
      names = "--admin-port",
      paramLabel = "PORT",
      defaultValue = "" + ControlPlaneFiles.DEFAULT_ADMIN_PORT,
      description = "Admin API port on 127.0.0.1; 0 picks a free one (default: ${DEFAULT-VALUE}).")
  int adminPort;

  @Option(
      names = "--xds-port",
      paramLabel = "PORT",
      defaultValue = "" + ControlPlaneFiles.DEFAULT_XDS_PORT,
      description =
          "xDS (ADS over gRPC) port on 127.0.0.1; 0 picks a free one (default: ${DEFAULT-VALUE}).")
  int xdsPort;

  @Spec CommandSpec spec;

  /** The message of every cause, so "address already in use" is not hidden three levels down. */
  static String causes(Throwable e) {
    StringBuilder text = new StringBuilder(String.valueOf(e.getMessage()));
    for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
      String message = cause.getMessage();
      if (message != null && !text.toString().contains(message)) {
        text.append(": ").append(message);
      }
    }
    return text.toString();
  }

  @Override
  public Integer call() throws InterruptedException {
    Path dir = dataDir != null ? dataDir : Connection.defaultDataDir();
    ControlPlane.Options options =
        ControlPlane.Options.defaults(dir)
            .withPorts(adminPort, xdsPort)
            .withStore(Optional.ofNullable(store));
    ControlPlane plane;
    try {
      plane = ControlPlane.start(options);
    } catch (PortInUseException e) {
      String option = e.listener().startsWith("xDS") ? "--xds-port" : "--admin-port";
      spec.commandLine()
          .getErr()
          .println(
              "error: the control plane did not start: "
                  + e.getMessage()
                  + " (another control plane?); choose another with "
                  + option
                  + ", or 0 for a free one");
      return 1;
    } catch (RuntimeException e) {
      spec.commandLine().getErr().println("error: the control plane did not start: " + causes(e));
      return 1;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  plane.close();
                  stopped.countDown();
                }));
    var out = spec.commandLine().getOut();
    out.println("FireMesh control plane " + ControlPlane.VERSION);
    out.println(
        "  admin API  "
            + plane.adminUrl()
            + "   (token in "
            + dir.resolve(ControlPlaneFiles.TOKEN)
            + ")");
    out.println("  xDS (ADS)  127.0.0.1:" + plane.xdsPort());
    out.println("  store      " + plane.storeDescription());
    out.flush();
    stopped.await();
    return 0;
  }
}
