package dev.firemesh.cli;

import dev.firemesh.api.codec.Durations;
import dev.firemesh.cli.supervise.AppProbe;
import dev.firemesh.proxy.Sidecar;
import dev.firemesh.proxy.admin.AdminExtension;
import dev.firemesh.workload.admin.AdminCallException;
import dev.firemesh.workload.admin.AdminHttp;
import dev.firemesh.workload.registry.InstanceLease;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import sun.misc.Signal;

@Command(
    name = "proxy",
    description = {
      "Run the sidecar proxy beside one instance of a service.",
      "It takes its configuration from the control plane over xDS, serves the local app's outbound",
      "calls (http://orders/... through the proxy, or Host: orders), forwards peers' calls to the",
      "local app, and registers the instance (at its inbound address) under a renewed lease once",
      "the app listens on every --app-port.",
      "Plain TCP (service ports declared tcp) goes through --upstream ports, tunnelled to the"
          + " peer's sidecar at once, so servers that speak first work. On SIGTERM it"
          + " deregisters, drains (--drain-delay, --drain-timeout) and exits 0."
    },
    footer = {
      "%nExamples:",
      "  firemesh proxy --service orders --app-port 8080 -l version=v2",
      "  curl -x http://127.0.0.1:15001 http://risk/limits     # from the orders app",
      "  firemesh proxy --service fix-gateway --app-port http=8080 --app-port fix=9878",
      "  firemesh proxy --service trader --app-port 8080 \\",
      "      --upstream fix-gateway:fix=19878",
      "  nc 127.0.0.1 19878     # from the trader app: the FIX engine's port, by name",
      "%nThe sidecar's admin page (/ready, /config_dump, /stats) is on --admin-port."
    })
final class ProxyCommand implements Callable<Integer> {
  private static final Duration APP_PROBE_INTERVAL = Duration.ofMillis(200);
  private static final Duration FIRST_CONFIG_WAIT = Duration.ofSeconds(10);
  private static final Duration UNCONNECTED_WAIT = Duration.ofSeconds(2);
  private static final Logger log = LoggerFactory.getLogger(ProxyCommand.class);

  @Mixin SidecarOptions options;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    PrintWriter err = spec.commandLine().getErr();
    if (options.appPorts.isEmpty()) {
      throw new BadInputException(
          "--app-port is required: where the app listens (an app that serves nothing runs"
              + " under `firemesh run`)");
    }
    Duration ttl = options.leaseTtl();
    String id = options.instanceId();
    Duration delay = options.drainDelay();
    Duration drainLimit = options.drainTimeout();
    // No identity to be had: exit 2 before anything binds.
    new WorkloadEnrolment(options.connection, options.service, options.env)
        .checkSource(options.joinToken());
    options.sidecar(); // bad --app-port or --upstream: exit 2 before anything binds

    // Signals are taken here, not by a shutdown hook, so that a drained sidecar exits with 0.
    CountDownLatch stopping = new CountDownLatch(1);
    for (String name : new String[] {"TERM", "INT"}) {
      Signal.handle(new Signal(name), signal -> stopping.countDown());
    }
    RunningSidecar running;
    try {
      running = RunningSidecar.start(options, id, AdminExtension.NONE);
    } catch (BadInputException e) {
      throw e;
    } catch (RuntimeException e) {
      err.println("error: the sidecar did not start: " + ControlCommand.causes(e));
      return 1;
    }

    // Registered only once the app listens: callers sent here earlier would fail. And once the
    // first configuration is in (within a bound): until then the app's own calls through this
    // sidecar are answered 404, and a ready file must not promise routes it does not have. A
    // control plane that sends nothing this node can use (it NACKs it), or that is away, must not
    // keep the instance out of discovery for good: it then registers as it would have without
    // waiting.
    // A chassis app registers itself (--app-registers), so waiting for it to listen would only
    // delay the routes it needs to start: it may load its reference data through this sidecar.
    if (!options.appRegisters && !awaitApp(stopping)) {
      running.close();
      return 0;
    }
    long waitStart = System.nanoTime();
    switch (running.awaitFirstConfig(FIRST_CONFIG_WAIT, UNCONNECTED_WAIT, stopping)) {
      case STOPPED -> {
        running.close();
        return 0;
      }
      case NOT_IN_TIME ->
          log.warn(
              "no configuration from the xDS server {} after {}; registering anyway",
              running.xdsServer(),
              Durations.format(Duration.ofMillis((System.nanoTime() - waitStart) / 1_000_000)));
      case ARRIVED -> {}
    }

    Sidecar sidecar = running.sidecar();
    if (options.appRegisters) {
      return serveUnregistered(running, stopping, delay, drainLimit);
    }
    // Bytes and hand-written JSON, not AdminClient: this process must not load Jackson.
    AdminHttp admin = running.registrationClient();
    InstanceLease lease;
    try {
      lease =
          InstanceLease.register(
              admin,
              options.service,
              id,
              sidecar.inboundAddress(),
              ttl,
              running.registrationLabels());
    } catch (AdminCallException e) {
      err.println("error: cannot register " + options.service + "/" + id + ": " + e.getMessage());
      running.close();
      return e.status() == 0 ? AdminCommand.UNREACHABLE : AdminCommand.REFUSED;
    }

    running.printBanner(
        spec.commandLine().getOut(), "registered under a " + Durations.format(ttl) + " lease");
    if (options.readyFile != null) {
      running.writeReadyFile(options.readyFile);
    }
    stopping.await();

    // Leave discovery first, so peers' sidecars stop sending here; drain; then stop.
    log.info("stopping: deregistering, then draining delay={} timeout={}", delay, drainLimit);
    lease.release();
    sidecar.drain(delay, drainLimit);
    running.close();
    log.info("stopped");
    return 0;
  }

  /**
   * With {@code --app-registers}: ready and serving, but never in discovery on the sidecar's
   * account; the app's own lease says whether callers come here. On SIGTERM it drains as usual (the
   * app leaves discovery on its own SIGTERM).
   */
  private int serveUnregistered(
      RunningSidecar running, CountDownLatch stopping, Duration delay, Duration drainLimit)
      throws IOException, InterruptedException {
    running.printBanner(
        spec.commandLine().getOut(), "not registered: the app registers itself (--app-registers)");
    if (options.readyFile != null) {
      running.writeReadyFile(options.readyFile);
    }
    stopping.await();
    log.info("stopping: draining delay={} timeout={}", delay, drainLimit);
    running.sidecar().drain(delay, drainLimit);
    running.close();
    log.info("stopped");
    return 0;
  }

  /**
   * Waits until the app accepts connections on every {@code --app-port} (a TCP connect, as an
   * orchestrator's socket probe does), or until the sidecar is told to stop.
   *
   * @return false if it was told to stop first
   */
  private boolean awaitApp(CountDownLatch stopping) throws InterruptedException {
    List<Integer> ports = options.appPortNumbers();
    long nextNotice = System.nanoTime();
    while (true) {
      List<Integer> closed = ports.stream().filter(port -> !AppProbe.accepts(port)).toList();
      if (closed.isEmpty()) {
        return true;
      }
      if (System.nanoTime() - nextNotice >= 0) {
        log.info("waiting for the app to listen on 127.0.0.1:{} before registering", closed);
        nextNotice = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      }
      if (stopping.await(APP_PROBE_INTERVAL.toMillis(), TimeUnit.MILLISECONDS)) {
        return false;
      }
    }
  }
}
