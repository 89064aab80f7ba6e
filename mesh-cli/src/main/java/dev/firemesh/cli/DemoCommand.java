package dev.firemesh.cli;

import com.sun.net.httpserver.HttpServer;
import dev.firemesh.control.ControlPlane;
import dev.firemesh.control.catalog.ApplyOutcome;
import dev.firemesh.control.catalog.SourceFile;
import dev.firemesh.store.registry.Registration;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "demo",
    description = {
      "Run the trading demo: a control plane with the sample mesh and instances.",
      "The control plane runs on embedded PostgreSQL (ports 7070 and 18000, or free ones if those"
          + " are taken), the sample trading mesh (examples/trading/mesh) is applied, and sample"
          + " service instances serve HTTP on loopback, registered under leases.",
      "Stop it with Ctrl-C."
    },
    footer = {"%nExample:", "  ./firemesh demo"})
final class DemoCommand implements Callable<Integer> {
  /** The sample fleet: service, version, how many instances. */
  private record Fleet(String service, String version, int count) {}

  private static final List<Fleet> FLEET =
      List.of(
          new Fleet("reference-data", "v1", 1),
          new Fleet("market-data", "v1", 2),
          new Fleet("orders", "v1", 2),
          new Fleet("orders", "v2", 1),
          new Fleet("risk", "v1", 1),
          new Fleet("gateway", "v1", 1));

  private static final Duration LEASE = Duration.ofSeconds(10);

  @Option(
      names = "--data-dir",
      paramLabel = "DIR",
      description = "Where the demo keeps its state (default: ~/.firemesh/demo).")
  Path dataDir;

  @Option(
      names = "--config",
      paramLabel = "DIR",
      description =
          "The mesh configuration to apply (default: examples/trading/mesh of this checkout).")
  Path config;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    Path dir =
        dataDir != null ? dataDir : Path.of(System.getProperty("user.home"), ".firemesh", "demo");
    Path mesh = config != null ? config : defaultConfig();
    if (!Files.isDirectory(mesh)) {
      spec.commandLine()
          .getErr()
          .println("error: no sample configuration at " + mesh + " (use --config DIR)");
      return 2;
    }
    out.println("Starting the FireMesh demo (data in " + dir + ")...");
    out.flush();
    ControlPlane plane;
    try {
      plane = startControlPlane(dir);
    } catch (RuntimeException e) {
      spec.commandLine()
          .getErr()
          .println("error: the demo did not start: " + ControlCommand.causes(e));
      return 1;
    }
    List<HttpServer> servers = new ArrayList<>();
    Thread renewer = null;
    try {
      ApplyOutcome applied =
          plane.catalog().apply(read(mesh), "demo", "sample trading mesh", false);
      List<Registration> registrations = startFleet(servers);
      registrations.forEach(r -> plane.registry().register(r, LEASE));
      renewer =
          Thread.ofVirtual().name("demo-lease-renewal").start(() -> renew(plane, registrations));

      out.println();
      out.println("FireMesh demo is up.");
      out.println("  admin API   " + plane.adminUrl());
      out.println(
          "  xDS (ADS)   127.0.0.1:" + plane.xdsPort() + "   (proxyless gRPC: xds:///orders)");
      out.println("  store       " + plane.storeDescription());
      out.println(
          "  config      "
              + mesh
              + (applied.unchanged()
                  ? " (already applied)"
                  : " applied as revision " + applied.revision()));
      out.println(
          "  instances   "
              + registrations.size()
              + " sample instances registered, leases renewed every 3 s");
      out.println();
      out.println("Try, in another terminal:");
      out.println("  export FIREMESH_DATA_DIR=" + dir);
      out.println("  ./firemesh get all");
      out.println("  ./firemesh get route orders -o yaml");
      out.println("  ./firemesh instances");
      out.println("  ./firemesh history");
      out.println("  ./firemesh nodes");
      out.println("Stop with Ctrl-C.");
      out.flush();

      CountDownLatch stopped = new CountDownLatch(1);
      Thread renewal = renewer;
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    renewal.interrupt();
                    registrations.forEach(
                        r -> plane.registry().deregister(r.service(), r.instanceId()));
                    servers.forEach(s -> s.stop(0));
                    plane.close();
                    stopped.countDown();
                  }));
      stopped.await();
      return 0;
    } catch (RuntimeException e) {
      if (renewer != null) {
        renewer.interrupt();
      }
      servers.forEach(s -> s.stop(0));
      plane.close();
      throw e;
    }
  }

  private static Path defaultConfig() {
    String home = System.getenv("FIREMESH_HOME");
    Path root = home != null && !home.isBlank() ? Path.of(home) : Path.of("");
    return root.resolve("examples").resolve("trading").resolve("mesh").toAbsolutePath();
  }

  private ControlPlane startControlPlane(Path dir) {
    ControlPlane.Options options = ControlPlane.Options.defaults(dir);
    if (!free(options.adminAddress()) || !free(options.xdsAddress())) {
      spec.commandLine()
          .getOut()
          .println(
              "The default ports 7070/18000 are taken (another control plane?): using free ones.");
      options = options.withPorts(0, 0);
    }
    return ControlPlane.start(options);
  }

  private static boolean free(InetSocketAddress address) {
    try (ServerSocket probe = new ServerSocket()) {
      probe.bind(address);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static List<SourceFile> read(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      List<SourceFile> sources = new ArrayList<>();
      for (Path file :
          files
              .filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml"))
              .sorted()
              .toList()) {
        sources.add(new SourceFile(file.getFileName().toString(), Files.readString(file)));
      }
      return sources;
    }
  }

  /** Starts one tiny HTTP server per sample instance; each says who it is. */
  private static List<Registration> startFleet(List<HttpServer> servers) throws IOException {
    List<Registration> registrations = new ArrayList<>();
    for (Fleet fleet : FLEET) {
      for (int n = 1; n <= fleet.count(); n++) {
        String id = fleet.service() + "-" + fleet.version() + "-" + n;
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        String body =
            "{\"service\":\""
                + fleet.service()
                + "\",\"instance\":\""
                + id
                + "\",\"version\":\""
                + fleet.version()
                + "\"}\n";
        server.createContext(
            "/",
            exchange -> {
              byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
              exchange.getResponseHeaders().set("Content-Type", "application/json");
              exchange.sendResponseHeaders(200, bytes.length);
              try (OutputStream os = exchange.getResponseBody()) {
                os.write(bytes);
              }
            });
        server.start();
        servers.add(server);
        registrations.add(
            new Registration(
                fleet.service(),
                id,
                "127.0.0.1",
                server.getAddress().getPort(),
                Map.of(
                    "version",
                    fleet.version(),
                    "region",
                    "eu-west",
                    "zone",
                    n % 2 == 0 ? "b" : "a")));
      }
    }
    return registrations;
  }

  private static void renew(ControlPlane plane, List<Registration> registrations) {
    while (!Thread.currentThread().isInterrupted()) {
      try {
        Thread.sleep(Duration.ofSeconds(3));
      } catch (InterruptedException e) {
        return;
      }
      for (Registration r : registrations) {
        try {
          if (!plane.registry().renew(r.service(), r.instanceId())) {
            plane.registry().register(r, LEASE);
          }
        } catch (RuntimeException e) {
          // The store may be briefly unavailable; the next round retries.
        }
      }
    }
  }
}
