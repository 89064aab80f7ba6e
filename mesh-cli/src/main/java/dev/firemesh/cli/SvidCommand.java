package dev.firemesh.cli;

import dev.firemesh.identity.SvidFiles;
import dev.firemesh.identity.WorkloadCredentials;
import dev.firemesh.workload.admin.AdminCallException;
import dev.firemesh.workload.admin.PlainJson;
import dev.firemesh.workload.identity.IdentityAgent;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import sun.misc.Signal;

/**
 * {@code firemesh svid}: a workload identity kept in files, for an app that talks to the mesh
 * without a sidecar (a stock grpc-java xDS client): the SVID, its key and the trust bundle, renewed
 * before they expire, and an xDS bootstrap that names them.
 */
@Command(
    name = "svid",
    description = {
      "Keep a workload's SVID in files, for an app without a sidecar.",
      "A proxyless gRPC client reads them through the xDS bootstrap this writes. It enrols (with a"
          + " join token, or one asked for on operator credentials), writes the files, and renews"
          + " them at half-life until stopped."
    },
    footer = {
      "%nFiles written to --out:",
      "  " + SvidFiles.CHAIN + "        the SVID, leaf first",
      "  " + SvidFiles.KEY + "    its private key (mode 0600)",
      "  " + SvidFiles.BUNDLE + "      the roots to trust",
      "  "
          + SvidCommand.BOOTSTRAP
          + "  for GRPC_XDS_BOOTSTRAP (with mesh-proxyless on the classpath)",
      "%nExamples:",
      "  firemesh svid --service quotes-client --env prod --join-token-file t.txt --out /run/fm",
      "  firemesh svid --service quotes-client --out /tmp/fm --once"
    })
final class SvidCommand implements Callable<Integer> {
  static final String BOOTSTRAP = "xds-bootstrap.json";

  @Mixin Connection connection;

  @Option(names = "--service", required = true, paramLabel = "NAME", description = "Service.")
  String service;

  @Option(
      names = "--env",
      defaultValue = "default",
      paramLabel = "NAME",
      description = "Environment (default: ${DEFAULT-VALUE}).")
  String env;

  @Option(
      names = "--join-token-file",
      paramLabel = "FILE",
      description =
          "A join token (or set FIREMESH_JOIN_TOKEN); without one, a one-use token is asked for"
              + " on the operator credentials this runs with.")
  Path joinTokenFile;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "Where to write.")
  Path out;

  @Option(
      names = "--node-id",
      paramLabel = "ID",
      description = "The xDS node id in the bootstrap (default: <service>-<pid>).")
  String nodeId;

  @Option(
      names = "--xds",
      paramLabel = "HOST:PORT",
      description = "The control plane's xDS address (default: from <data-dir>/control.json).")
  String xds;

  @Option(names = "--once", description = "Write the files and exit; nothing renews them.")
  boolean once;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    PrintWriter err = spec.commandLine().getErr();
    IdentityAgent agent;
    try {
      agent =
          new WorkloadEnrolment(connection, service, env)
              .enrol(SidecarOptions.joinToken(joinTokenFile));
    } catch (BadInputException e) {
      err.println("error: " + e.getMessage());
      err.flush();
      return AdminCommand.BAD_INPUT;
    } catch (AdminCallException e) {
      err.println("error: " + connection.explain(e).orElse(e.getMessage()));
      err.flush();
      return e.status() == 0 ? AdminCommand.UNREACHABLE : AdminCommand.REFUSED;
    }
    try (agent) {
      write(agent.credentials());
      writeBootstrap();
      err.println(
          "SVID for "
              + agent.credentials().identity()
              + " in "
              + out
              + ", valid until "
              + agent.credentials().notAfter()
              + (once ? "" : "; renewing until stopped"));
      err.flush();
      if (once) {
        return 0;
      }
      CountDownLatch stopping = new CountDownLatch(1);
      for (String name : new String[] {"TERM", "INT"}) {
        Signal.handle(new Signal(name), signal -> stopping.countDown());
      }
      agent.start(this::write);
      stopping.await();
      return 0;
    }
  }

  private void write(WorkloadCredentials credentials) {
    try {
      SvidFiles.write(out, credentials);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the SVID into " + out, e);
    }
  }

  /** A grpc-java xDS bootstrap: the control plane, this node, and TLS with the files above. */
  private void writeBootstrap() throws IOException {
    Path dir = out.toAbsolutePath();
    Map<String, Object> tls = new LinkedHashMap<>();
    tls.put("certificate_file", dir.resolve(SvidFiles.CHAIN).toString());
    tls.put("private_key_file", dir.resolve(SvidFiles.KEY).toString());
    tls.put("ca_certificate_file", dir.resolve(SvidFiles.BUNDLE).toString());
    Map<String, Object> server = new LinkedHashMap<>();
    server.put("server_uri", SidecarOptions.xdsAddress(connection, xds));
    Map<String, Object> credentials = new LinkedHashMap<>();
    credentials.put("type", "tls");
    credentials.put("config", tls);
    server.put("channel_creds", List.of(credentials));
    server.put("server_features", List.of("xds_v3"));
    Map<String, Object> node = new LinkedHashMap<>();
    node.put("id", nodeId != null ? nodeId : service + "-" + ProcessHandle.current().pid());
    // The control plane serves a node only the configuration of the service its SVID names.
    node.put("cluster", service);
    Map<String, Object> bootstrap = new LinkedHashMap<>();
    bootstrap.put("xds_servers", List.of(server));
    bootstrap.put("node", node);
    Path file = out.resolve(BOOTSTRAP);
    Path tmp = out.resolve(BOOTSTRAP + ".tmp");
    Files.writeString(tmp, PlainJson.pretty(bootstrap), StandardCharsets.UTF_8);
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }
}
