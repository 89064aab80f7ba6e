package dev.firemesh.cli;

import dev.firemesh.control.ControlPlane;
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
      "Run the trading demo: a control plane and the sample services, each beside its sidecar.",
      "Every service instance and every sidecar is a process of its own.",
      "The control plane is a `firemesh control` process on embedded PostgreSQL (ports 7070 and 18000, or"
          + " free ones if those are taken) with the sample mesh (examples/trading/mesh) applied."
          + " Then reference-data, market-data (gRPC quote stream), risk, orders v1 and v2 (the"
          + " canary route) and a traffic generator (service gateway) start, each with a"
          + " `firemesh proxy` sidecar. reference-data, orders and risk are built on the chassis:"
          + " they register themselves, take live configuration from the control plane (Config"
          + " orders-demo, risk-demo) and orders and risk hold live replicas of reference-data's"
          + " venues, instruments and accounts. The services call each other by name"
          + " through their sidecars; the generator sends a steady order flow and subscribes to"
          + " the quotes. The gateway's sidecar is an HTTP proxy on port 15001 (or a free one):"
          + " call the mesh through it with curl -x.",
      "Stop it with Ctrl-C: every process stops, the control plane last."
    },
    footer = {
      "%nExample:",
      "  ./firemesh demo",
      "  curl -x http://127.0.0.1:15001 http://reference-data/instruments/GB0007980591",
      "  curl -x http://127.0.0.1:15001 http://gateway/stats"
    })
final class DemoCommand implements Callable<Integer> {
  /** Where the gateway's sidecar takes the app's outbound calls, as {@code firemesh proxy} does. */
  static final int GATEWAY_OUTBOUND_PORT = 15001;

  static final Duration READY_TIMEOUT = Duration.ofSeconds(90);

  @Option(
      names = "--data-dir",
      paramLabel = "DIR",
      description =
          "Where the demo keeps its state and the processes' logs (default: ~/.firemesh/demo).")
  Path dataDir;

  @Option(
      names = "--config",
      paramLabel = "DIR",
      description =
          "The mesh configuration to apply (default: examples/trading/mesh of this checkout).")
  Path config;

  @Option(
      names = "--rate",
      defaultValue = "4",
      paramLabel = "ORDERS/S",
      description = "The traffic generator's order rate (default: ${DEFAULT-VALUE}).")
  double rate;

  @Option(
      names = "--free-ports",
      description =
          "Take free ports for the control plane and the gateway's sidecar instead of 7070, 18000"
              + " and 15001 (a second demo beside the first, or a test); the banner shows them.")
  boolean freePorts;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (!(rate > 0 && rate <= 1000)) {
      throw new BadInputException("--rate: expected more than 0 and at most 1000, got " + rate);
    }
    Path dir =
        (dataDir != null ? dataDir : Path.of(System.getProperty("user.home"), ".firemesh", "demo"))
            .toAbsolutePath();
    Path mesh = config != null ? config : defaultConfig();
    if (!Files.isDirectory(mesh)) {
      err.println("error: no sample configuration at " + mesh + " (use --config DIR)");
      return 2;
    }
    out.println("Starting the FireMesh demo (data and logs in " + dir + ")...");
    out.flush();
    // Installed before anything starts, so Ctrl-C during startup stops what already runs.
    TradingDemoHolder holder = new TradingDemoHolder();
    CountDownLatch stopped = new CountDownLatch(1);
    Thread hook =
        new Thread(
            () -> {
              out.println("Stopping the services and sidecars, then the control plane...");
              out.flush();
              holder.close();
              out.println("Stopped.");
              out.flush();
              stopped.countDown();
            },
            "demo-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    TradingDemo demo;
    try {
      demo =
          TradingDemo.start(
              new TradingDemo.Settings(
                  controlPlaneOptions(dir),
                  mesh,
                  freePorts ? 0 : GATEWAY_OUTBOUND_PORT,
                  rate,
                  READY_TIMEOUT),
              holder::set);
    } catch (RuntimeException | IOException e) {
      if (holder.closing()) {
        return 130; // Ctrl-C while starting: the shutdown hook stops everything
      }
      err.println("error: the demo did not start: " + ControlCommand.causes(e));
      err.println("Everything it had started is stopped; the logs are in " + dir.resolve("logs"));
      return 1;
    }
    printBanner(out, dir, mesh, demo);
    stopped.await();
    return 0;
  }

  /** The demo as far as it started, for the shutdown hook. */
  static final class TradingDemoHolder {
    private TradingDemo demo;
    private boolean closed;

    synchronized void set(TradingDemo demo) {
      this.demo = demo;
      if (closed) {
        demo.close();
      }
    }

    synchronized boolean closing() {
      return closed;
    }

    synchronized void close() {
      closed = true;
      if (demo != null) {
        demo.close();
      }
    }
  }

  private void printBanner(PrintWriter out, Path dir, Path mesh, TradingDemo demo) {
    DemoControlPlane plane = demo.controlPlane();
    TradingDemo.Instance gateway = demo.gateway();
    String proxy = "http://" + gateway.addresses().outbound();
    out.println();
    out.println("FireMesh demo is up.");
    out.println("  admin API   " + plane.adminUrl());
    out.println(
        "  dashboard   "
            + plane.adminUrl()
            + "/ui/   (log in with the token in "
            + plane.tokenFile()
            + ")");
    out.println(
        "  xDS (ADS)   127.0.0.1:"
            + plane.xdsPort()
            + "   (mTLS, enrolled workloads only; proxyless gRPC: `firemesh svid`, README)");
    out.println("  store       " + plane.storeDescription());
    out.println(
        "  config      "
            + mesh
            + demo.applied().stream()
                .mapToObj(revision -> " applied as revision " + revision)
                .findFirst()
                .orElse(" (already applied)"));
    out.println(
        "  process     pid "
            + plane.pid()
            + ", log "
            + plane.log()
            + "   (kill it: the sidecars keep serving)");
    out.println();
    out.println("Services, each instance a process beside its own sidecar process:");
    out.printf(
        "  %-20s %-8s %-9s %-8s %-17s %-17s %s%n",
        "INSTANCE", "PID", "APP PORT", "SIDECAR", "OUTBOUND", "INBOUND", "ADMIN");
    for (TradingDemo.Instance i : demo.instances()) {
      out.printf(
          "  %-20s %-8d %-9d %-8d %-17s %-17s %s%n",
          i.id(),
          i.app().pid(),
          i.appPort(),
          i.sidecar().pid(),
          i.addresses().outbound(),
          i.addresses().inbound(),
          i.addresses().admin());
    }
    out.println("What they do:");
    for (TradingDemo.Service s :
        java.util.List.of(
            TradingDemo.REFERENCE_DATA,
            TradingDemo.MARKET_DATA,
            TradingDemo.RISK,
            TradingDemo.ORDERS,
            TradingDemo.GENERATOR)) {
      out.printf("  %-15s %s%n", s.name(), s.role());
    }
    out.println(
        "  The generator sends "
            + rate
            + " orders/s to orders (a tenth of them meant to be rejected) and streams quotes from"
            + " market-data, both through its sidecar.");
    out.println(
        "  For the dashboard, the orders route fails 3% and slows 5% of the generator's orders on"
            + " purpose (fault injection, examples/trading/mesh/orders-route.yaml); your calls"
            + " are never hit.");
    if (demo.gatewayOutboundFallback()) {
      out.println(
          "  (port "
              + GATEWAY_OUTBOUND_PORT
              + " is taken: the gateway's sidecar uses "
              + proxy
              + ")");
    }
    out.println();
    out.println("Call the mesh as the gateway does, through its sidecar:");
    out.println("  curl -x " + proxy + " http://reference-data/instruments/GB0007980591");
    out.println(
        "  curl -x "
            + proxy
            + " http://orders/orders -H 'content-type: application/json' \\\n"
            + "       -d '{\"account\":\"ACC-1001\",\"isin\":\"GB0007980591\",\"side\":\"BUY\","
            + "\"quantity\":1000,\"limitPrice\":\"4.512\"}'");
    out.println(
        "  curl -x "
            + proxy
            + " http://orders/orders -H 'content-type: application/json' \\\n"
            + "       -d '{\"account\":\"ACC-9001\",\"isin\":\"GB0007980591\",\"side\":\"BUY\","
            + "\"quantity\":1000,\"limitPrice\":\"4.512\"}'   # rejected: account closed");
    out.println(
        "  curl -x " + proxy + " -H 'x-canary: always' http://orders/orders/stats   # orders v2");
    out.println("  curl -x " + proxy + " http://gateway/stats      # the generator's order flow");
    out.println(
        "  curl -x " + proxy + " http://gateway/quotes     # latest quotes it got over gRPC");
    out.println("The quote stream itself (gRPC with JSON messages) through the same sidecar:");
    out.println(
        "  printf '\\0\\0\\0\\0\\2{}' | curl -sN --http2-prior-knowledge --output - \\\n"
            + "       --connect-to market-data:80:"
            + gateway.addresses().outbound()
            + " -H 'content-type: application/grpc' -H 'te: trailers' \\\n"
            + "       --data-binary @- http://market-data/firemesh.trading.MarketData/StreamQuotes"
            + " | grep --line-buffered -ao '{.*}'");
    out.println("The gateway sidecar's admin page:");
    out.println("  curl http://" + gateway.addresses().admin() + "/config_dump");
    out.println("  curl http://" + gateway.addresses().admin() + "/clusters");
    out.println("  curl http://" + gateway.addresses().admin() + "/stats/prometheus");
    out.println("The control plane, in another terminal:");
    out.println("  export FIREMESH_DATA_DIR=" + dir);
    out.println("  ./firemesh instances");
    out.println("  ./firemesh get all");
    out.println("  ./firemesh get route orders -o yaml");
    out.println("  ./firemesh nodes");
    out.println("Fail static: stop the control plane; the order flow goes on with the sidecars'");
    out.println("last configuration (watch 'failed' stay 0), then start it again and they resync:");
    out.println("  kill " + plane.pid() + "; sleep 10; curl -x " + proxy + " http://gateway/stats");
    out.println("  ./firemesh control --data-dir " + dir);
    out.println("Logs, one file per process: " + demo.logs());
    out.println("  tail -f " + demo.logs().resolve("gateway-v1-1.log"));
    out.println("Access logs, one JSON line per request, one file per sidecar:");
    out.println("  tail -f " + demo.logs().resolve("gateway-v1-1-access.log"));
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
    if (freePorts) {
      return options.withPorts(0, 0);
    }
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
}
