package dev.firemesh.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.firemesh.control.ControlPlane;
import dev.firemesh.control.ControlPlaneFiles;
import dev.firemesh.control.catalog.SourceFile;
import dev.firemesh.workload.admin.AdminCallException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The trading demo: a control plane process ({@code firemesh control}, {@link DemoControlPlane})
 * with the sample mesh applied, and the sample trading services ({@code examples/trading}), each
 * instance a process of its own beside a sidecar process of its own ({@code firemesh proxy}). The
 * instance is registered at its sidecar's inbound address, so every call between services crosses
 * two sidecars; the services call each other by logical name through their sidecar's outbound
 * listener. reference-data, orders and risk are built on the chassis: each enrols and registers
 * itself (its sidecar runs with {@code --app-registers}), takes its configuration from the control
 * plane and, for orders and risk, holds a live replica of reference-data's sets; the others are
 * registered by their sidecars.
 *
 * <p>Every child is tethered to this JVM ({@link Tether}): if this process dies, even by SIGKILL,
 * they stop too. {@link #start} brings everything up or nothing and fails naming what did not
 * start; {@link #close} stops the children (SIGTERM, then SIGKILL after {@link #STOP_GRACE}) and
 * then the control plane.
 */
final class TradingDemo implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  static final String GATEWAY = "gateway";
  static final Duration STOP_GRACE = Duration.ofSeconds(10);

  /**
   * A sample service: its mesh name, the class that runs it, what it is, and whether it is built on
   * the chassis (it then enrols, registers and takes its configuration itself).
   */
  record Service(String name, Class<?> main, String role, boolean onChassis) {}

  static final Service REFERENCE_DATA =
      new Service(
          "reference-data",
          dev.firemesh.examples.trading.referencedata.http.Main.class,
          "owns venues, instruments, accounts (chassis)",
          true);
  static final Service MARKET_DATA =
      new Service(
          "market-data",
          dev.firemesh.examples.trading.marketdata.grpc.Main.class,
          "live quote stream (gRPC)",
          false);
  static final Service ORDERS =
      new Service(
          "orders",
          dev.firemesh.examples.trading.orders.http.Main.class,
          "order intake, replica + live config (chassis)",
          true);
  static final Service RISK =
      new Service(
          "risk",
          dev.firemesh.examples.trading.risk.http.Main.class,
          "limit checks, replica + live config (chassis)",
          true);
  static final Service GENERATOR =
      new Service(
          GATEWAY,
          dev.firemesh.examples.trading.generator.transport.Main.class,
          "traffic generator: order flow + quote subscription",
          false);

  /** One instance of the fleet. */
  private record Planned(Service service, String version, int ordinal) {
    String id() {
      return service.name() + "-" + version + "-" + ordinal;
    }
  }

  /** Small on purpose: two cores run all fourteen processes and the control plane. */
  private static final List<Planned> FLEET =
      List.of(
          new Planned(REFERENCE_DATA, "v1", 1),
          new Planned(MARKET_DATA, "v1", 1),
          new Planned(RISK, "v1", 1),
          // Two risk instances: their end-of-day task runs once between them, and they share
          // the partitions of the exposure projection.
          new Planned(RISK, "v1", 2),
          new Planned(ORDERS, "v1", 1),
          new Planned(ORDERS, "v2", 1),
          new Planned(GENERATOR, "v1", 1));

  /** The services with a database in the demo's service store. */
  private static final List<String> STORED_SERVICES =
      List.of(REFERENCE_DATA.name(), ORDERS.name(), RISK.name());

  private static final List<String> SERVICE_JVM =
      List.of("-Xmx64m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xshare:auto");

  /**
   * How to run.
   *
   * @param controlPlane the control plane's data directory and ports
   * @param meshConfig a directory of YAML documents, applied at start
   * @param gatewayOutboundPort the port the gateway sidecar's outbound listener should take; when
   *     it is taken, a free one is used instead (0 always picks a free one)
   * @param orderRate the traffic generator's orders per second
   * @param readyTimeout how long every process may take to be ready
   */
  record Settings(
      ControlPlane.Options controlPlane,
      Path meshConfig,
      int gatewayOutboundPort,
      double orderRate,
      Duration readyTimeout) {}

  /** Where a sidecar listens, from its ready file. */
  record SidecarAddresses(String outbound, String inbound, String admin) {}

  /** One running instance: its service process and its sidecar process. */
  record Instance(
      Service service,
      String id,
      String version,
      int appPort,
      ChildProcess app,
      ChildProcess sidecar,
      SidecarAddresses addresses) {}

  /** The demo could not start; the message names what failed and where to look. */
  static final class StartFailure extends RuntimeException {
    StartFailure(String message) {
      super(message);
    }
  }

  // The demo's sidecars are enrolled as spiffe://<trust-domain>/env/demo/svc/<service>.
  static final String DEMO_ENV = "demo";
  private static final String REGION = "eu-west";
  private static final Duration JOIN_TOKEN_TTL = Duration.ofMinutes(10);
  private final DemoControlPlane plane;
  private final Path logs;
  private DemoServiceStore serviceStore;
  private final List<ChildProcess> children = new ArrayList<>();
  private final List<Instance> instances = new ArrayList<>();
  private OptionalLong applied = OptionalLong.empty();
  private boolean gatewayOutboundFallback;
  private boolean closed;

  private TradingDemo(DemoControlPlane plane, Path logs) {
    this.plane = plane;
    this.logs = logs;
  }

  /**
   * Starts the control plane, applies the sample mesh, starts every service and its sidecar, and
   * waits until all are ready and the gateway's sidecar knows every instance. On a failure,
   * whatever was started is stopped again.
   *
   * @throws StartFailure naming what did not start
   */
  static TradingDemo start(Settings settings) throws IOException, InterruptedException {
    return start(settings, demo -> {});
  }

  /**
   * As {@link #start(Settings)}, handing the demo to {@code created} as soon as it exists, so a
   * shutdown hook can stop what a startup interrupted by Ctrl-C had already started.
   */
  static TradingDemo start(Settings settings, Consumer<TradingDemo> created)
      throws IOException, InterruptedException {
    List<SourceFile> mesh = read(settings.meshConfig());
    Path dir = settings.controlPlane().dataDir();
    Path logs = dir.resolve("logs");
    Path run = dir.resolve("run");
    Files.createDirectories(logs);
    Files.createDirectories(run);
    try (Stream<Path> stale = Files.list(run)) {
      // Files only: an instance's directory (its config cache) is kept.
      for (Path file : stale.filter(Files::isRegularFile).toList()) {
        Files.delete(file);
      }
    }
    TradingDemo demo =
        new TradingDemo(
            DemoControlPlane.start(
                settings.controlPlane(),
                logs.resolve("control-plane.log"),
                settings.readyTimeout()),
            logs);
    created.accept(demo);
    try {
      demo.serviceStore = DemoServiceStore.start(dir.toAbsolutePath(), STORED_SERVICES);
      demo.applied = demo.apply(mesh);
      demo.startFleet(settings, run);
      return demo;
    } catch (IOException | InterruptedException | RuntimeException e) {
      demo.close();
      throw e;
    }
  }

  private record Launched(
      Planned planned,
      int appPort,
      ChildProcess sidecar,
      Path appReady,
      Path sidecarReady,
      ChildProcess app) {}

  private void startFleet(Settings settings, Path run) throws IOException, InterruptedException {
    Path dataDir = settings.controlPlane().dataDir().toAbsolutePath();
    // Every port a service is told up front is reserved at once and released just before the
    // launch, so no two of them collide; the sidecars' admin ports (and the inbound ports of the
    // services that do not register themselves) are their own pick.
    int gatewayOutbound = gatewayOutboundPort(settings.gatewayOutboundPort());
    List<Integer> ports = freePorts(3 * FLEET.size());
    List<Launched> launched = new ArrayList<>();
    for (int i = 0; i < FLEET.size(); i++) {
      Planned p = FLEET.get(i);
      int appPort = ports.get(3 * i);
      int outboundPort = p.service() == GENERATOR ? gatewayOutbound : ports.get(3 * i + 1);
      int inboundPort = p.service().onChassis() ? ports.get(3 * i + 2) : 0;
      Path appReady = run.resolve(p.id() + ".json");
      Path sidecarReady = run.resolve(p.id() + "-sidecar.json");
      List<String> appArgs = new ArrayList<>(List.of("--ready-file", appReady.toString()));
      Map<String, String> appEnvironment = Map.of();
      if (p.service().onChassis()) {
        // The chassis takes its settings from the environment; the service's main waits for
        // what it cannot start without (reference-data, for its replica) to answer.
        appEnvironment = chassisEnvironment(p, appPort, inboundPort, outboundPort, dataDir, run);
        appArgs.addAll(List.of("--version", p.version()));
      } else {
        appArgs.addAll(
            List.of(
                "--port", String.valueOf(appPort),
                "--sidecar", "127.0.0.1:" + outboundPort,
                "--instance", p.id(),
                "--version", p.version()));
      }
      if (p.service() == GENERATOR) {
        appArgs.addAll(List.of("--rate", String.valueOf(settings.orderRate())));
      }
      ChildProcess app =
          start(
              p.id(),
              SERVICE_JVM,
              p.service().main().getName(),
              appArgs,
              logs.resolve(p.id() + ".log"),
              appEnvironment);
      Path joinToken = tokenFile(p.id() + ".token", joinToken(p), run);
      List<String> sidecarArgs =
          new ArrayList<>(
              List.of(
                  "proxy",
                  "--service",
                  p.service().name(),
                  "--instance-id",
                  p.id(),
                  "--app-port",
                  String.valueOf(appPort),
                  "--outbound-port",
                  String.valueOf(outboundPort),
                  "--inbound-port",
                  String.valueOf(inboundPort),
                  "--admin-port",
                  "0",
                  "-l",
                  "version=" + p.version(),
                  "-l",
                  "region=" + REGION,
                  "-l",
                  "zone=" + zone(p),
                  "--env",
                  DEMO_ENV,
                  "--join-token-file",
                  joinToken.toString(),
                  "--ready-file",
                  sidecarReady.toString(),
                  // one JSON line per request, beside the sidecar's own log
                  "--access-log",
                  logs.resolve(p.id() + "-access.log").toString(),
                  "--access-log-max-size",
                  "10MiB",
                  "--access-log-keep",
                  "2",
                  // a demo's trace explorer should have whole traces to show within seconds:
                  // one new trace in ten sampled (failed and slow calls always are)
                  "--trace-sample-ratio",
                  "0.1",
                  "--data-dir",
                  dataDir.toString()));
      if (p.service().onChassis()) {
        sidecarArgs.add("--app-registers"); // the chassis registers itself, with its own identity
      }
      ChildProcess sidecar =
          start(
              p.id() + " sidecar",
              SidecarJvm.options(),
              FireMesh.class.getName(),
              sidecarArgs,
              logs.resolve(p.id() + "-sidecar.log"),
              Map.of());
      launched.add(new Launched(p, appPort, sidecar, appReady, sidecarReady, app));
    }

    long deadline = System.nanoTime() + settings.readyTimeout().toNanos();
    for (Launched l : launched) {
      ChildProcess app = l.app();
      awaitReadyFile(app, l.appReady(), deadline, settings.readyTimeout());
      JsonNode ready =
          awaitReadyFile(l.sidecar(), l.sidecarReady(), deadline, settings.readyTimeout());
      instances.add(
          new Instance(
              l.planned().service(),
              l.planned().id(),
              l.planned().version(),
              l.appPort(),
              app,
              l.sidecar(),
              new SidecarAddresses(
                  ready.path("outbound").asText(),
                  ready.path("inbound").asText(),
                  ready.path("admin").asText())));
    }
    awaitGatewayConfig(deadline, settings.readyTimeout());
  }

  /**
   * The chassis's settings ({@code FIREMESH_*}): the same identity, environment and locality as its
   * sidecar's, a join token of its own (the service enrols with its own key), the sidecar's inbound
   * address to register at and its outbound listener to call through, and a data directory of its
   * own (the config cache), kept across runs, and, for the services with a database in the demo's
   * service store, its URL.
   */
  private Map<String, String> chassisEnvironment(
      Planned p, int appPort, int inboundPort, int outboundPort, Path dataDir, Path run)
      throws IOException {
    Path instanceDir = run.resolve(p.id());
    Files.createDirectories(instanceDir);
    Map<String, String> env = new LinkedHashMap<>();
    env.put("FIREMESH_SERVICE", p.service().name());
    env.put("FIREMESH_ENV", DEMO_ENV);
    env.put("FIREMESH_INSTANCE_ID", p.id());
    env.put("FIREMESH_APP_PORT", String.valueOf(appPort));
    env.put("FIREMESH_INBOUND", "127.0.0.1:" + inboundPort);
    env.put("FIREMESH_OUTBOUND", "http://127.0.0.1:" + outboundPort);
    env.put("FIREMESH_CONTROL_PLANE", plane.adminUrl());
    env.put("FIREMESH_CA_FILE", dataDir.resolve(ControlPlaneFiles.TRUST_BUNDLE).toString());
    env.put("FIREMESH_XDS", "127.0.0.1:" + plane.xdsPort());
    env.put("FIREMESH_JOIN_TOKEN", joinToken(p));
    env.put("FIREMESH_STATE_DIR", instanceDir.toString());
    serviceStore.url(p.service().name()).ifPresent(url -> env.put("FIREMESH_STORE_URL", url));
    env.put("FIREMESH_REGION", REGION);
    env.put("FIREMESH_ZONE", zone(p));
    env.put("FIREMESH_LABELS", "version=" + p.version() + ",region=" + REGION + ",zone=" + zone(p));
    return env;
  }

  private static String zone(Planned p) {
    return p.ordinal() % 2 == 0 ? "b" : "a";
  }

  private synchronized ChildProcess start(
      String name,
      List<String> jvm,
      String main,
      List<String> args,
      Path log,
      Map<String, String> environment)
      throws IOException {
    if (closed) {
      throw new StartFailure("stopped while starting");
    }
    ChildProcess child = ChildProcess.start(name, jvm, main, args, log, environment);
    children.add(child);
    return child;
  }

  private JsonNode awaitReadyFile(ChildProcess child, Path file, long deadline, Duration timeout)
      throws InterruptedException {
    while (true) {
      if (Files.exists(file)) {
        try {
          return JSON.readTree(file.toFile());
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
      if (closing()) {
        throw new StartFailure("stopped while starting");
      }
      if (!child.alive()) {
        throw new StartFailure(
            child.name()
                + " exited with status "
                + child.exitValue()
                + " before it was ready; the end of "
                + child.log()
                + ":\n"
                + child.logTail(15));
      }
      if (System.nanoTime() - deadline > 0) {
        throw new StartFailure(
            child
                + " was not ready after "
                + timeout.toSeconds()
                + " s; the end of "
                + child.log()
                + ":\n"
                + child.logTail(15));
      }
      Thread.sleep(50);
    }
  }

  /** Until the gateway's sidecar has endpoints for every instance, a call through it could fail. */
  private void awaitGatewayConfig(long deadline, Duration timeout) throws InterruptedException {
    Set<String> every =
        instances.stream().map(i -> i.addresses().inbound()).collect(Collectors.toSet());
    URI configDump = URI.create("http://" + gateway().addresses().admin() + "/config_dump");
    Set<String> known = Set.of();
    try (HttpClient client =
        HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build()) {
      while (true) {
        try {
          HttpResponse<String> response =
              client.send(
                  HttpRequest.newBuilder(configDump).timeout(Duration.ofSeconds(2)).build(),
                  HttpResponse.BodyHandlers.ofString());
          if (response.statusCode() == 200) {
            known = endpoints(JSON.readTree(response.body()));
            if (known.containsAll(every)) {
              return;
            }
          }
        } catch (IOException e) {
          // not answering yet
        }
        if (System.nanoTime() - deadline > 0) {
          Set<String> learned = known;
          List<String> missing =
              instances.stream()
                  .filter(i -> !learned.contains(i.addresses().inbound()))
                  .map(Instance::id)
                  .toList();
          throw new StartFailure(
              "the gateway's sidecar did not learn every instance within "
                  + timeout.toSeconds()
                  + " s; missing: "
                  + missing
                  + " (see ./firemesh instances and ./firemesh nodes, and "
                  + gateway().sidecar().log()
                  + ")");
        }
        Thread.sleep(100);
      }
    }
  }

  /** Every {@code address:port} of every cluster's endpoints in a {@code /config_dump}. */
  static Set<String> endpoints(JsonNode config) {
    Set<String> out = new HashSet<>();
    config
        .path("clusters")
        .forEach(
            cluster ->
                cluster
                    .path("endpoints")
                    .forEach(
                        e -> out.add(e.path("address").asText() + ":" + e.path("port").asInt())));
    return out;
  }

  private int gatewayOutboundPort(int wanted) throws IOException {
    if (wanted == 0) {
      return freePorts(1).getFirst();
    }
    try (ServerSocket probe = new ServerSocket()) {
      probe.bind(new InetSocketAddress("127.0.0.1", wanted));
      return wanted;
    } catch (IOException taken) {
      gatewayOutboundFallback = true;
      return freePorts(1).getFirst();
    }
  }

  private static List<Integer> freePorts(int count) throws IOException {
    List<ServerSocket> held = new ArrayList<>();
    try {
      for (int i = 0; i < count; i++) {
        ServerSocket socket = new ServerSocket();
        held.add(socket);
        socket.bind(new InetSocketAddress("127.0.0.1", 0));
      }
      return held.stream().map(ServerSocket::getLocalPort).toList();
    } finally {
      for (ServerSocket socket : held) {
        socket.close();
      }
    }
  }

  DemoControlPlane controlPlane() {
    return plane;
  }

  /** The revision the sample mesh was applied as, or empty if it was already in force. */
  OptionalLong applied() {
    return applied;
  }

  /**
   * A one-use join token for one workload of {@code p} (its sidecar, or a chassis service), as an
   * operator would issue it ({@code firemesh token create}).
   */
  private String joinToken(Planned p) throws IOException {
    ObjectNode request = JsonNodeFactory.instance.objectNode();
    request.put("service", p.service().name());
    request.put("env", DEMO_ENV);
    request.put("ttlSeconds", JOIN_TOKEN_TTL.toSeconds());
    request.put("uses", 1);
    try {
      return plane.client().post("/v1/tokens", request).path("token").asText();
    } catch (AdminCallException e) {
      throw new StartFailure("no join token for " + p.id() + ": " + e.getMessage());
    }
  }

  /** {@code token} in a file only this user can read. */
  private static Path tokenFile(String name, String token, Path run) throws IOException {
    Path file = run.resolve(name);
    Files.deleteIfExists(file);
    Files.createFile(
        file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(file, token + "\n");
    return file;
  }

  private OptionalLong apply(List<SourceFile> mesh) throws IOException {
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    body.put("message", "sample trading mesh");
    ArrayNode files = body.putArray("files");
    for (SourceFile file : mesh) {
      files.addObject().put("name", file.name()).put("content", file.content());
    }
    try {
      JsonNode answer = plane.client().post("/v1/apply", body);
      return answer.path("unchanged").asBoolean(false)
          ? OptionalLong.empty()
          : OptionalLong.of(answer.path("revision").asLong());
    } catch (AdminCallException e) {
      throw new StartFailure("the sample mesh was refused: " + e.getMessage());
    }
  }

  List<Instance> instances() {
    return List.copyOf(instances);
  }

  /** Every process the demo started, services and sidecars. */
  List<ChildProcess> children() {
    return List.copyOf(children);
  }

  Path logs() {
    return logs;
  }

  Instance gateway() {
    return instance(GATEWAY).orElseThrow(() -> new IllegalStateException("no gateway instance"));
  }

  Optional<Instance> instance(String service) {
    return instances.stream().filter(i -> i.service().name().equals(service)).findFirst();
  }

  /**
   * Whether the gateway's outbound listener took a free port because the one asked for was taken.
   */
  boolean gatewayOutboundFallback() {
    return gatewayOutboundFallback;
  }

  private synchronized boolean closing() {
    return closed;
  }

  /**
   * Stops every child (they deregister and stop; SIGKILL after {@link #STOP_GRACE}), then the
   * control plane, which had to outlive them so the sidecars could deregister.
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    ChildProcess.stopAll(children, STOP_GRACE);
    if (serviceStore != null) {
      serviceStore.close();
    }
    plane.close();
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
}
