package dev.firemesh.cli;

import dev.firemesh.control.ControlPlane;
import dev.firemesh.control.catalog.ApplyOutcome;
import dev.firemesh.proxy.Sidecar;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "demo",
    description = {
      "Run the trading demo: a control plane, the sample mesh, and instances behind sidecars.",
      "The control plane runs on embedded PostgreSQL (ports 7070 and 18000, or free ones if those"
          + " are taken), the sample trading mesh (examples/trading/mesh) is applied, and eight"
          + " sample service instances serve HTTP on loopback. Each has an in-process sidecar that"
          + " takes its configuration over xDS and is registered, under a lease, at its inbound"
          + " address. The gateway's sidecar is an HTTP proxy on port 15001 (or a free one):"
          + " call the mesh through it with curl -x.",
      "Stop it with Ctrl-C."
    },
    footer = {
      "%nExample:",
      "  ./firemesh demo",
      "  curl -x http://127.0.0.1:15001 http://orders/anything    # 90%% v1, 10%% v2",
      "  curl -x http://127.0.0.1:15001 -H 'x-canary: always' http://orders/   # v2"
    })
final class DemoCommand implements Callable<Integer> {
  /** Where the gateway's sidecar takes the app's outbound calls, as {@code firemesh proxy} does. */
  static final int GATEWAY_OUTBOUND_PORT = 15001;

  private static final Duration READY_TIMEOUT = Duration.ofSeconds(30);

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
    TradingDemo demo;
    try {
      demo =
          TradingDemo.start(
              new TradingDemo.Settings(controlPlaneOptions(dir), mesh, GATEWAY_OUTBOUND_PORT));
    } catch (RuntimeException | IOException e) {
      spec.commandLine()
          .getErr()
          .println("error: the demo did not start: " + ControlCommand.causes(e));
      return 1;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  demo.close();
                  stopped.countDown();
                },
                "demo-shutdown"));
    if (!demo.awaitReady(READY_TIMEOUT)) {
      spec.commandLine()
          .getErr()
          .println(
              "warning: the gateway's sidecar has no complete configuration after "
                  + READY_TIMEOUT.toSeconds()
                  + " s; calls through it may fail until it does (see ./firemesh nodes)");
    }
    printBanner(out, dir, mesh, demo);
    stopped.await();
    return 0;
  }

  private void printBanner(PrintWriter out, Path dir, Path mesh, TradingDemo demo) {
    ControlPlane plane = demo.controlPlane();
    ApplyOutcome applied = demo.applied();
    Sidecar gateway = demo.gateway().sidecar();
    String proxy = "http://" + hostPort(gateway.outboundAddress());
    String admin = "http://" + hostPort(gateway.adminAddress());
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
            + demo.instances().size()
            + " sample instances, each behind its own sidecar, registered at the sidecar's"
            + " inbound address; leases renewed every "
            + TradingDemo.RENEWAL_INTERVAL.toSeconds()
            + " s");
    for (TradingDemo.SampleInstance instance : demo.instances()) {
      out.printf(
          "    %-20s sidecar %-16s -> app %s%n",
          instance.id(),
          hostPort(instance.sidecar().inboundAddress()),
          hostPort(instance.app().getAddress()));
    }
    out.println(
        "  gateway     outbound proxy "
            + proxy
            + (demo.gatewayOutboundFallback()
                ? "   (port " + GATEWAY_OUTBOUND_PORT + " is taken: using a free one)"
                : ""));
    out.println("              sidecar admin  " + admin + "   (/config_dump, /stats, /ready)");
    out.println();
    out.println("Call the mesh as the gateway app does, through its sidecar:");
    out.println("  curl -x " + proxy + " http://orders/anything                 # 90% v1, 10% v2");
    out.println("  curl -x " + proxy + " -H 'x-canary: always' http://orders/   # always v2");
    out.println("  curl -x " + proxy + " http://market-data/quotes");
    out.println("  curl " + admin + "/config_dump");
    out.println("  curl " + admin + "/stats");
    out.println("And the control plane, in another terminal:");
    out.println("  export FIREMESH_DATA_DIR=" + dir);
    out.println("  ./firemesh get all");
    out.println("  ./firemesh get route orders -o yaml");
    out.println("  ./firemesh instances");
    out.println("  ./firemesh history");
    out.println("  ./firemesh nodes");
    out.println("Stop with Ctrl-C.");
    out.flush();
  }

  private static Path defaultConfig() {
    String home = System.getenv("FIREMESH_HOME");
    Path root = home != null && !home.isBlank() ? Path.of(home) : Path.of("");
    return root.resolve("examples").resolve("trading").resolve("mesh").toAbsolutePath();
  }

  private ControlPlane.Options controlPlaneOptions(Path dir) {
    ControlPlane.Options options = ControlPlane.Options.defaults(dir);
    if (!free(options.adminAddress()) || !free(options.xdsAddress())) {
      spec.commandLine()
          .getOut()
          .println(
              "The default ports 7070/18000 are taken (another control plane?): using free ones.");
      options = options.withPorts(0, 0);
    }
    return options;
  }

  private static boolean free(InetSocketAddress address) {
    try (ServerSocket probe = new ServerSocket()) {
      probe.bind(address);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static String hostPort(InetSocketAddress address) {
    return address.getAddress().getHostAddress() + ":" + address.getPort();
  }
}
