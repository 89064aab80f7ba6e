package dev.firemesh.cli;

import dev.firemesh.api.codec.Durations;
import dev.firemesh.cli.client.AdminCallException;
import dev.firemesh.cli.client.AdminHttp;
import dev.firemesh.cli.client.PlainJson;
import dev.firemesh.control.ControlPlaneFiles;
import dev.firemesh.proxy.Sidecar;
import dev.firemesh.proxy.tcp.TcpUpstream;
import dev.firemesh.traffic.route.SnapshotRouter;
import dev.firemesh.xds.client.AdsClient;
import dev.firemesh.xds.translate.NodeIdentity;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
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
  private static final Duration CONFIG_PROBE_INTERVAL = Duration.ofMillis(20);
  private static final Duration RENEWAL_STOP_WAIT = Duration.ofSeconds(5);
  private static final Logger log = LoggerFactory.getLogger(ProxyCommand.class);

  @Mixin Connection connection;

  @Option(
      names = "--service",
      required = true,
      paramLabel = "NAME",
      description = "The service this instance belongs to.")
  String service;

  @Option(
      names = "--instance-id",
      paramLabel = "ID",
      description = "Unique instance id (default: <service>-<host>-<pid>).")
  String instanceId;

  @Option(
      names = "--app-port",
      required = true,
      paramLabel = "PORT|NAME=PORT",
      description =
          "Where the local app listens on 127.0.0.1. PORT is its HTTP port; NAME=PORT is its"
              + " port for the service port NAME. Repeatable: --app-port http=8080 --app-port"
              + " fix=9878 sends HTTP to 8080 and tunnels to the tcp port fix to 9878.")
  List<String> appPorts = new ArrayList<>();

  @Option(
      names = "--upstream",
      paramLabel = "SERVICE[:PORT-NAME]=LOCAL-PORT",
      description =
          "Listen on 127.0.0.1:LOCAL-PORT (0 picks one) and tunnel each connection to an"
              + " instance of SERVICE's tcp port PORT-NAME (default: its only tcp port)."
              + " Repeatable.")
  List<String> upstreams = new ArrayList<>();

  @Option(
      names = "--drain-delay",
      defaultValue = "5s",
      paramLabel = "DURATION",
      description =
          "On SIGTERM, after deregistering: keep serving this long, telling callers to go"
              + " elsewhere, while their sidecars learn the instance is gone"
              + " (default: ${DEFAULT-VALUE}).")
  String drainDelay;

  @Option(
      names = "--drain-timeout",
      defaultValue = "10s",
      paramLabel = "DURATION",
      description =
          "Then stop accepting and wait at most this long for requests and tunnels in flight"
              + " (default: ${DEFAULT-VALUE}).")
  String drainTimeout;

  @Option(
      names = "--outbound-port",
      defaultValue = "15001",
      paramLabel = "PORT",
      description = "The local app's proxy port (default: ${DEFAULT-VALUE}; 0 picks one).")
  int outboundPort;

  @Option(
      names = "--inbound-port",
      defaultValue = "15006",
      paramLabel = "PORT",
      description = "Where peers' sidecars connect (default: ${DEFAULT-VALUE}; 0 picks one).")
  int inboundPort;

  @Option(
      names = "--admin-port",
      defaultValue = "15000",
      paramLabel = "PORT",
      description = "The sidecar's admin page (default: ${DEFAULT-VALUE}; 0 picks one).")
  int adminPort;

  @Option(
      names = {"-l", "--label"},
      paramLabel = "KEY=VALUE",
      description = "Instance labels: version=v2, region=eu-west, zone=a. Repeatable.")
  Map<String, String> labels = new LinkedHashMap<>();

  @Option(
      names = "--xds",
      paramLabel = "HOST:PORT",
      description = "The control plane's xDS address (default: from <data-dir>/control.json).")
  String xds;

  @Option(
      names = "--lease-ttl",
      defaultValue = "10s",
      paramLabel = "DURATION",
      description = "Registration lease, renewed every third of it (default: ${DEFAULT-VALUE}).")
  String leaseTtl;

  @Option(
      names = "--ready-file",
      paramLabel = "FILE",
      description =
          "Write the sidecar's bound addresses here as JSON once it serves (for scripts and tests).")
  Path readyFile;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    PrintWriter err = spec.commandLine().getErr();
    Duration ttl =
        Durations.parse(leaseTtl)
            .filter(d -> d.toSeconds() >= 1)
            .orElseThrow(
                () ->
                    new BadInputException(
                        "--lease-ttl: expected a duration of at least 1s, got \""
                            + leaseTtl
                            + "\""));
    String id =
        instanceId != null
            ? instanceId
            : service
                + "-"
                + InetAddress.getLocalHost().getHostName()
                + "-"
                + ProcessHandle.current().pid();
    Duration delay = duration("--drain-delay", drainDelay);
    Duration drainLimit = duration("--drain-timeout", drainTimeout);
    String[] xdsAddress = xdsAddress().split(":");
    // Bytes and hand-written JSON, not AdminClient: this process must not load Jackson.
    AdminHttp admin = connection.http();

    SnapshotRouter router = new SnapshotRouter();
    Sidecar.Builder builder =
        Sidecar.builder()
            .router(router)
            .service(service)
            .outboundPort(outboundPort)
            .inboundPort(inboundPort)
            .adminPort(adminPort);
    appPorts(builder);
    for (String upstream : upstreams) {
      try {
        builder.tcpUpstream(TcpUpstream.parse(upstream));
      } catch (IllegalArgumentException e) {
        throw new BadInputException("--upstream: " + e.getMessage());
      }
    }
    // Signals are taken here, not by a shutdown hook, so that a drained sidecar exits with 0.
    CountDownLatch stopping = new CountDownLatch(1);
    for (String name : new String[] {"TERM", "INT"}) {
      Signal.handle(new Signal(name), signal -> stopping.countDown());
    }
    Sidecar sidecar;
    try {
      sidecar = builder.build().start();
    } catch (RuntimeException e) {
      err.println("error: the sidecar did not start: " + ControlCommand.causes(e));
      return 1;
    }
    AdsClient ads =
        AdsClient.builder()
            .server(xdsAddress[0], Integer.parseInt(xdsAddress[1]))
            .node(
                new NodeIdentity(
                    id,
                    service,
                    labels.getOrDefault("region", ""),
                    labels.getOrDefault("zone", "")))
            // Where the control plane reads this sidecar's metrics, for canary analysis.
            .metadata(NodeIdentity.ADMIN_ADDRESS_KEY, hostPort(sidecar.adminAddress()))
            .onConfig(sidecar::apply)
            // The sidecar's event loop, not a thread and selector of the client's own.
            .eventLoop(sidecar.eventLoops(), sidecar.channelType())
            .start();
    sidecar.attach(ads); // ends before the loop stops, when a drain closes the sidecar

    // Registered only once the app listens: callers sent here earlier would fail. And once the
    // first configuration is in (within a bound): until then the app's own calls through this
    // sidecar are answered 404, and a ready file must not promise routes it does not have.
    if (!awaitApp(stopping) || !awaitFirstConfig(sidecar, ads, stopping)) {
      ads.close();
      sidecar.close();
      return 0;
    }

    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("service", service);
    fields.put("instanceId", id);
    fields.put("address", sidecar.inboundAddress().getAddress().getHostAddress());
    fields.put("port", sidecar.inboundAddress().getPort());
    fields.put("ttlSeconds", ttl.toSeconds());
    fields.put("labels", labels);
    byte[] registration = PlainJson.compact(fields).getBytes(StandardCharsets.UTF_8);
    try {
      admin.call("POST", "/v1/instances", registration);
    } catch (AdminCallException e) {
      err.println("error: cannot register " + service + "/" + id + ": " + e.getMessage());
      ads.close();
      sidecar.close();
      return e.status() == 0 ? AdminCommand.UNREACHABLE : AdminCommand.REFUSED;
    }

    CountDownLatch leaving = new CountDownLatch(1);
    Thread renewal =
        Thread.ofVirtual()
            .name("lease-renewal")
            .start(() -> renew(admin, id, registration, ttl, leaving));

    PrintWriter out = spec.commandLine().getOut();
    out.println("FireMesh sidecar for " + service + "/" + id + " (" + sidecar.transport() + ")");
    out.println(
        "  outbound  http://" + hostPort(sidecar.outboundAddress()) + "   (the app's HTTP proxy)");
    out.println("  inbound   " + hostPort(sidecar.inboundAddress()) + " -> app " + appPortsText());
    sidecar
        .upstreamAddresses()
        .forEach(
            (upstream, address) ->
                out.println(
                    "  upstream  "
                        + hostPort(address)
                        + " -> "
                        + upstream.authority()
                        + "   (tcp tunnel)"));
    out.println(
        "  admin     http://" + hostPort(sidecar.adminAddress()) + "/ready /config_dump /stats");
    out.println(
        "  xDS       "
            + xdsAddress()
            + "   registered under a "
            + Durations.format(ttl)
            + " lease");
    out.flush();
    if (readyFile != null) {
      writeReadyFile(sidecar, id);
    }
    stopping.await();

    // Leave discovery first, so peers' sidecars stop sending here; drain; then stop.
    log.info("stopping: deregistering, then draining delay={} timeout={}", delay, drainLimit);
    // The renewal ends first, its call in flight included, or it could register us again.
    leaving.countDown();
    if (!renewal.join(RENEWAL_STOP_WAIT)) {
      log.warn("a lease renewal is still waiting on the control plane; deregistering anyway");
    }
    try {
      admin.call(
          "DELETE",
          "/v1/instances/" + AdminHttp.encode(service) + "/" + AdminHttp.encode(id),
          null);
    } catch (AdminCallException e) {
      log.warn("deregistration failed; the lease lapses within {}: {}", ttl, e.getMessage());
    }
    sidecar.drain(delay, drainLimit);
    ads.close();
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
    List<Integer> ports =
        appPorts.stream().map(p -> Integer.parseInt(p.substring(p.indexOf('=') + 1))).toList();
    long nextNotice = System.nanoTime();
    while (true) {
      List<Integer> closed = ports.stream().filter(port -> !accepts(port)).toList();
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

  /**
   * Waits for the first configuration from the control plane: at most {@link #FIRST_CONFIG_WAIT},
   * and {@link #UNCONNECTED_WAIT} while its stream does not even answer. A control plane that sends
   * nothing this node can use (it NACKs it), or that is away, must not keep the instance out of
   * discovery for good: it then registers as it would have without waiting.
   *
   * @return false if the sidecar was told to stop first
   */
  private boolean awaitFirstConfig(Sidecar sidecar, AdsClient ads, CountDownLatch stopping)
      throws InterruptedException {
    long start = System.nanoTime();
    while (!sidecar.ready()) {
      Duration waited = Duration.ofNanos(System.nanoTime() - start);
      if (waited.compareTo(FIRST_CONFIG_WAIT) >= 0
          || (!ads.status().connected() && waited.compareTo(UNCONNECTED_WAIT) >= 0)) {
        log.warn(
            "no configuration from the xDS server {} after {}; registering anyway",
            ads.status().server(),
            Durations.format(waited));
        return true;
      }
      if (stopping.await(CONFIG_PROBE_INTERVAL.toMillis(), TimeUnit.MILLISECONDS)) {
        return false;
      }
    }
    return true;
  }

  private static boolean accepts(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1_000);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static Duration duration(String option, String text) {
    return Durations.parse(text)
        .orElseThrow(
            () ->
                new BadInputException(
                    option + ": expected a duration such as 2s or 500ms, got \"" + text + "\""));
  }

  /** {@code --app-port}: at most one bare PORT (the HTTP port), any number of NAME=PORT. */
  private void appPorts(Sidecar.Builder builder) {
    boolean bare = false;
    for (String text : appPorts) {
      int equals = text.indexOf('=');
      String name = equals < 0 ? "" : text.substring(0, equals);
      int port;
      try {
        port = Integer.parseInt(text.substring(equals + 1));
      } catch (NumberFormatException e) {
        port = -1;
      }
      if (port < 1 || port > 65535 || (equals >= 0 && name.isEmpty())) {
        throw new BadInputException(
            "--app-port: expected PORT or NAME=PORT (1-65535), got \"" + text + "\"");
      }
      if (name.isEmpty()) {
        if (bare) {
          throw new BadInputException(
              "--app-port: one unnamed PORT at most (the HTTP port); name the others NAME=PORT");
        }
        bare = true;
        builder.localAppPort(port);
      } else {
        builder.appPort(name, port);
      }
    }
  }

  private String appPortsText() {
    return appPorts.stream()
        .map(p -> p.contains("=") ? p.replace("=", "=127.0.0.1:") : "127.0.0.1:" + p)
        .collect(java.util.stream.Collectors.joining(", "));
  }

  private String xdsAddress() {
    if (xds != null) {
      return xds;
    }
    Path info = connection.dataDir().resolve(ControlPlaneFiles.ADDRESSES);
    try {
      if (PlainJson.member(PlainJson.parse(Files.readString(info, StandardCharsets.UTF_8)), "xds")
          instanceof String address) {
        return address;
      }
    } catch (IOException | IllegalArgumentException e) {
      // fall through to the default
    }
    return "127.0.0.1:" + ControlPlaneFiles.DEFAULT_XDS_PORT;
  }

  /**
   * Renews the lease every third of it until {@code leaving}; a lapsed one is registered again.
   * Stopped by the latch, never by an interrupt: an interrupted call may still reach the control
   * plane after the deregistration and register a leaving instance again.
   */
  private void renew(
      AdminHttp admin, String id, byte[] registration, Duration ttl, CountDownLatch leaving) {
    String lease =
        "/v1/instances/" + AdminHttp.encode(service) + "/" + AdminHttp.encode(id) + "/lease";
    byte[] empty = "{}".getBytes(StandardCharsets.UTF_8);
    while (true) {
      try {
        if (leaving.await(ttl.dividedBy(3).toMillis(), TimeUnit.MILLISECONDS)) {
          return;
        }
      } catch (InterruptedException e) {
        return;
      }
      try {
        admin.call("PUT", lease, empty);
      } catch (AdminCallException e) {
        try {
          // Lapsed (the control plane was away longer than the lease): register again.
          admin.call("POST", "/v1/instances", registration);
        } catch (AdminCallException again) {
          log.warn("lease renewal failed, retrying: {}", again.getMessage());
        }
      }
    }
  }

  private void writeReadyFile(Sidecar sidecar, String id) throws IOException {
    Map<String, Object> ready = new LinkedHashMap<>();
    ready.put("instanceId", id);
    ready.put("outbound", hostPort(sidecar.outboundAddress()));
    ready.put("inbound", hostPort(sidecar.inboundAddress()));
    ready.put("admin", hostPort(sidecar.adminAddress()));
    Map<String, Object> upstreamAddresses = new LinkedHashMap<>();
    sidecar
        .upstreamAddresses()
        .forEach(
            (upstream, address) -> upstreamAddresses.put(upstream.authority(), hostPort(address)));
    ready.put("upstreams", upstreamAddresses);
    ready.put("pid", ProcessHandle.current().pid());
    Path tmp = readyFile.resolveSibling(readyFile.getFileName() + ".tmp");
    Files.writeString(tmp, PlainJson.pretty(ready));
    Files.move(
        tmp,
        readyFile,
        java.nio.file.StandardCopyOption.REPLACE_EXISTING,
        java.nio.file.StandardCopyOption.ATOMIC_MOVE);
  }

  private static String hostPort(java.net.InetSocketAddress address) {
    return address.getAddress().getHostAddress() + ":" + address.getPort();
  }
}
