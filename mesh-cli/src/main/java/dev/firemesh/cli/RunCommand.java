package dev.firemesh.cli;

import dev.firemesh.api.codec.Durations;
import dev.firemesh.cli.supervise.AppProbe;
import dev.firemesh.cli.supervise.AppReport;
import dev.firemesh.cli.supervise.AppStatus;
import dev.firemesh.cli.supervise.Membership;
import dev.firemesh.cli.supervise.RestartPolicy;
import dev.firemesh.cli.supervise.Supervisor;
import dev.firemesh.cli.supervise.SupervisorConfig;
import dev.firemesh.proxy.Sidecar;
import dev.firemesh.workload.admin.AdminHttp;
import dev.firemesh.workload.registry.InstanceLease;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import sun.misc.Signal;

@Command(
    name = "run",
    description = {
      "Run an app under supervision, beside its sidecar in this process.",
      "Starts the sidecar (the same options as `firemesh proxy`), holds the app until the"
          + " sidecar has its configuration, then starts it with FIREMESH_OUTBOUND and"
          + " http_proxy pointing at the sidecar. The instance is registered once the app listens"
          + " on every --app-port (and answers --health-path), and taken out of discovery while"
          + " it is down. A crashed or persistently unhealthy app is restarted after a jittered"
          + " exponential backoff, at most --max-restarts times per --restart-window (then"
          + " `run` gives up and exits 1). An app that exits 0 has finished: the sidecar stops"
          + " and `run` exits 0. On SIGTERM it deregisters, drains, stops the app (SIGTERM, then"
          + " SIGKILL after --stop-grace) and exits 0."
    },
    footer = {
      "%nExamples:",
      "  firemesh run --service orders --app-port 8080 --health-path /health \\",
      "      -- java -jar orders.jar --port 8080",
      "  firemesh run --service nightly-report -- ./report.sh    # a batch job: no --app-port",
      "%nThe app's state: GET /app on the sidecar's --admin-port."
    })
final class RunCommand implements Callable<Integer> {
  private static final Logger log = LoggerFactory.getLogger(RunCommand.class);

  @Mixin SidecarOptions options;

  @Option(
      names = "--health-path",
      paramLabel = "PATH",
      description =
          "Ask GET PATH on the app's HTTP port every --health-interval; 200-399 is healthy."
              + " Without it the app is alive while its process runs.")
  String healthPath;

  @Option(
      names = "--health-interval",
      defaultValue = "2s",
      paramLabel = "DURATION",
      description = "Between health checks (default: ${DEFAULT-VALUE}).")
  String healthInterval;

  @Option(
      names = "--health-timeout",
      defaultValue = "1s",
      paramLabel = "DURATION",
      description = "A health check not answered within this fails (default: ${DEFAULT-VALUE}).")
  String healthTimeout;

  @Option(
      names = "--unhealthy-threshold",
      defaultValue = "3",
      paramLabel = "N",
      description =
          "Failed health checks in a row after which the app is taken out of discovery and"
              + " restarted (default: ${DEFAULT-VALUE}).")
  int unhealthyThreshold;

  @Option(
      names = "--restart-backoff",
      defaultValue = "1s",
      paramLabel = "DURATION",
      description =
          "Wait before the first restart, doubled for each restart within --restart-window,"
              + " jittered between half and all of it (default: ${DEFAULT-VALUE}).")
  String restartBackoff;

  @Option(
      names = "--restart-backoff-max",
      defaultValue = "30s",
      paramLabel = "DURATION",
      description = "The longest wait before a restart (default: ${DEFAULT-VALUE}).")
  String restartBackoffMax;

  @Option(
      names = "--max-restarts",
      defaultValue = "5",
      paramLabel = "N",
      description =
          "Restarts allowed within --restart-window; one more failure and `run` gives up"
              + " (default: ${DEFAULT-VALUE}).")
  int maxRestarts;

  @Option(
      names = "--restart-window",
      defaultValue = "5m",
      paramLabel = "DURATION",
      description = "The window --max-restarts counts in (default: ${DEFAULT-VALUE}).")
  String restartWindow;

  @Option(
      names = "--ready-timeout",
      defaultValue = "60s",
      paramLabel = "DURATION",
      description =
          "How long the sidecar may take to get its configuration before the app starts, and"
              + " then how long the app may take to listen and pass its health check before it"
              + " counts as failed (default: ${DEFAULT-VALUE}).")
  String readyTimeout;

  @Option(
      names = "--stop-grace",
      defaultValue = "10s",
      paramLabel = "DURATION",
      description =
          "Between SIGTERM and SIGKILL when the app is stopped (default: ${DEFAULT-VALUE}).")
  String stopGrace;

  @Option(
      names = "--proxy-env",
      negatable = true,
      defaultValue = "true",
      fallbackValue = "true",
      description =
          "Give the app http_proxy/HTTP_PROXY (the sidecar's outbound listener) and no_proxy for"
              + " loopback, so HTTP clients that read them call the mesh by name (default: on).")
  boolean proxyEnv;

  @Parameters(
      paramLabel = "COMMAND",
      arity = "1..*",
      description = "The app's command line, after --; run without a shell.")
  List<String> command;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    PrintWriter err = spec.commandLine().getErr();
    Duration ttl = options.leaseTtl();
    String id = options.instanceId();
    Duration delay = options.drainDelay();
    Duration drainLimit = options.drainTimeout();
    Duration ready = positive("--ready-timeout", readyTimeout);
    AppProbe probe = probe();
    SupervisorConfig supervision = supervision(ready);
    // No identity to be had: exit 2 before anything binds.
    new WorkloadEnrolment(options.connection, options.service, options.env)
        .checkSource(options.joinToken());
    options.sidecar(); // bad --app-port or --upstream: exit 2 before anything binds

    AtomicReference<AppStatus> status = new AtomicReference<>(AppStatus.waiting());
    AtomicReference<Supervisor> supervising = new AtomicReference<>();
    // Signals are taken here, not by a shutdown hook, so that a drained run exits with 0.
    CountDownLatch stopping = new CountDownLatch(1);
    for (String name : new String[] {"TERM", "INT"}) {
      Signal.handle(
          new Signal(name),
          signal -> {
            stopping.countDown();
            Supervisor supervisor = supervising.get();
            if (supervisor != null) {
              supervisor.requestStop();
            }
          });
    }

    RunningSidecar running;
    try {
      running = RunningSidecar.start(options, id, new AppReport(status::get, command));
    } catch (BadInputException e) {
      throw e;
    } catch (RuntimeException e) {
      err.println("error: the sidecar did not start: " + ControlCommand.causes(e));
      return 1;
    }
    Sidecar sidecar = running.sidecar();

    // The app is held until the sidecar routes: started earlier, its first calls would fail.
    switch (running.awaitFirstConfig(ready, ready, stopping)) {
      case STOPPED -> {
        log.info("stopped before the sidecar was ready; the app was not started");
        running.close();
        return 0;
      }
      case NOT_IN_TIME -> {
        boolean connected = running.connected();
        err.println(
            "error: the sidecar got no configuration from the control plane at "
                + running.xdsServer()
                + " within "
                + readyTimeout
                + (connected
                    ? " (its xDS stream is up: see the control plane's log for what it refused)"
                    : " (its xDS stream could not connect: is `firemesh control` running?)")
                + "; the app was not started");
        running.close();
        return connected ? AdminCommand.REFUSED : AdminCommand.UNREACHABLE;
      }
      case ARRIVED -> {}
    }
    running.printBanner(
        spec.commandLine().getOut(),
        options.appPorts.isEmpty()
            ? "configured; the app serves nothing, so the instance is never registered"
            : options.appRegisters
                ? "configured; the app registers the instance itself (--app-registers)"
                : "configured; the instance registers once the app is ready, under a "
                    + options.leaseTtl
                    + " lease");
    if (options.readyFile != null) {
      running.writeReadyFile(options.readyFile);
    }

    Membership membership =
        options.appPorts.isEmpty() || options.appRegisters
            ? Membership.NONE
            : new LeaseMembership(
                running.registrationClient(),
                id,
                sidecar.inboundAddress(),
                ttl,
                running.registrationLabels());
    Supervisor supervisor =
        new Supervisor(
            supervision.withEnvironment(environment(sidecar, id)), probe, membership, status::set);
    supervising.set(supervisor);
    if (stopping.getCount() == 0) {
      supervisor.requestStop(); // a signal came before the supervisor could hear it
    }
    Supervisor.Outcome outcome;
    try {
      outcome = supervisor.run();
    } catch (RuntimeException | Error e) {
      supervisor.stopApp();
      throw e;
    }
    return switch (outcome) {
      case Supervisor.Stopped(boolean wasEndpoint) -> {
        Duration wait = wasEndpoint ? delay : Duration.ZERO;
        log.info(
            "stopping: draining delay={} timeout={}, stopping the app before the listeners close",
            Durations.format(wait),
            Durations.format(drainLimit));
        // The app serves through the drain delay, and stops before the listeners close, so its
        // own calls while it shuts down still reach the mesh.
        sidecar.drain(wait, drainLimit, supervisor::stopApp);
        running.close();
        log.info("stopped");
        yield 0;
      }
      case Supervisor.Finished() -> {
        sidecar.drain(Duration.ZERO, drainLimit);
        running.close();
        yield 0;
      }
      case Supervisor.GaveUp(String message) -> {
        err.println("error: " + message);
        err.flush();
        sidecar.drain(Duration.ZERO, drainLimit);
        running.close();
        yield 1;
      }
    };
  }

  private AppProbe probe() {
    Duration timeout = positive("--health-timeout", healthTimeout);
    if (healthPath == null) {
      return new AppProbe(options.appPortNumbers(), 0, Optional.empty(), timeout);
    }
    if (!healthPath.startsWith("/")) {
      throw new BadInputException(
          "--health-path: expected a path starting with /, got \"" + healthPath + "\"");
    }
    int httpPort = options.appHttpPort();
    if (httpPort == 0) {
      throw new BadInputException(
          "--health-path needs the app's HTTP port: give it as a bare --app-port PORT or as"
              + " --app-port http=PORT");
    }
    return new AppProbe(options.appPortNumbers(), httpPort, Optional.of(healthPath), timeout);
  }

  private SupervisorConfig supervision(Duration ready) {
    if (unhealthyThreshold < 1) {
      throw new BadInputException(
          "--unhealthy-threshold: expected at least 1, got " + unhealthyThreshold);
    }
    if (maxRestarts < 0) {
      throw new BadInputException("--max-restarts: expected 0 or more, got " + maxRestarts);
    }
    Duration initial = SidecarOptions.duration("--restart-backoff", restartBackoff);
    Duration max = SidecarOptions.duration("--restart-backoff-max", restartBackoffMax);
    if (max.compareTo(initial) < 0) {
      throw new BadInputException(
          "--restart-backoff-max ("
              + restartBackoffMax
              + ") is below --restart-backoff ("
              + restartBackoff
              + ")");
    }
    RestartPolicy policy =
        new RestartPolicy(initial, max, maxRestarts, positive("--restart-window", restartWindow));
    return new SupervisorConfig(
        command,
        Map.of(),
        policy,
        positive("--health-interval", healthInterval),
        unhealthyThreshold,
        ready,
        SidecarOptions.duration("--stop-grace", stopGrace));
  }

  /** What the app is told about its sidecar (documented in docs/reference/cli.md). */
  private Map<String, String> environment(Sidecar sidecar, String id) {
    Map<String, String> env = new LinkedHashMap<>();
    String outbound = "http://" + RunningSidecar.hostPort(sidecar.outboundAddress());
    env.put("FIREMESH_SERVICE", options.service);
    env.put("FIREMESH_INSTANCE_ID", id);
    env.put("FIREMESH_OUTBOUND", outbound);
    env.put("FIREMESH_ADMIN", "http://" + RunningSidecar.hostPort(sidecar.adminAddress()));
    if (!options.appPorts.isEmpty()) {
      // where a chassis app registers itself (--app-registers): callers reach it through here
      env.put("FIREMESH_INBOUND", RunningSidecar.hostPort(sidecar.inboundAddress()));
    }
    sidecar
        .upstreamAddresses()
        .forEach(
            (upstream, address) ->
                env.put(
                    "FIREMESH_UPSTREAM_"
                        + upstream
                            .authority()
                            .toUpperCase(Locale.ROOT)
                            .replaceAll("[^A-Z0-9]", "_"),
                    RunningSidecar.hostPort(address)));
    if (proxyEnv) {
      // curl reads only the lower-case http_proxy; most others read either.
      env.put("http_proxy", outbound);
      env.put("HTTP_PROXY", outbound);
      String loopback = "localhost,127.0.0.1,::1";
      String inherited = System.getenv().getOrDefault("no_proxy", System.getenv("NO_PROXY"));
      String noProxy =
          inherited == null || inherited.isBlank() ? loopback : inherited + "," + loopback;
      env.put("no_proxy", noProxy);
      env.put("NO_PROXY", noProxy);
    }
    return env;
  }

  private static Duration positive(String option, String text) {
    Duration value = SidecarOptions.duration(option, text);
    if (!value.isPositive()) {
      throw new BadInputException(option + ": expected a positive duration, got \"" + text + "\"");
    }
    return value;
  }

  /** The instance is an endpoint while its lease is held. */
  private final class LeaseMembership implements Membership {
    private final AdminHttp admin;
    private final String id;
    private final InetSocketAddress inbound;
    private final Duration ttl;
    private final Map<String, String> labels;
    private InstanceLease lease;

    LeaseMembership(
        AdminHttp admin,
        String id,
        InetSocketAddress inbound,
        Duration ttl,
        Map<String, String> labels) {
      this.admin = admin;
      this.id = id;
      this.inbound = inbound;
      this.ttl = ttl;
      this.labels = labels;
    }

    @Override
    public void join() {
      lease = InstanceLease.registerOrRetry(admin, options.service, id, inbound, ttl, labels);
    }

    @Override
    public void leave() throws InterruptedException {
      if (lease != null) {
        lease.release();
        lease = null;
      }
    }
  }
}
