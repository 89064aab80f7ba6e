package dev.firemesh.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.firemesh.control.ControlPlane;
import dev.firemesh.control.catalog.ApplyOutcome;
import dev.firemesh.control.catalog.SourceFile;
import dev.firemesh.proxy.ListenerBindException;
import dev.firemesh.proxy.Sidecar;
import dev.firemesh.store.registry.Registration;
import dev.firemesh.traffic.config.ClusterConfig;
import dev.firemesh.traffic.config.DataPlaneConfig;
import dev.firemesh.traffic.config.Endpoint;
import dev.firemesh.traffic.route.SnapshotRouter;
import dev.firemesh.xds.client.AdsClient;
import dev.firemesh.xds.translate.NodeIdentity;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The trading demo's moving parts, in this process: a control plane with the sample mesh applied,
 * and the sample fleet. Each sample instance is a tiny HTTP app with its own sidecar, which takes
 * its configuration from the control plane over xDS; the instance is registered at its sidecar's
 * inbound address, so every call between services goes through two sidecars.
 *
 * <p>{@link #start} brings everything up or nothing; {@link #close} stops it in the order that
 * strands no call: leave discovery, stop the data plane, then the control plane.
 */
final class TradingDemo implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(TradingDemo.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  static final Duration LEASE = Duration.ofSeconds(10);
  static final Duration RENEWAL_INTERVAL = Duration.ofSeconds(3);
  static final String GATEWAY = "gateway";

  /** The sample fleet: service, version, how many instances. */
  private record Fleet(String service, String version, int count) {}

  private static final List<Fleet> FLEET =
      List.of(
          new Fleet("reference-data", "v1", 1),
          new Fleet("market-data", "v1", 2),
          new Fleet("orders", "v1", 2),
          new Fleet("orders", "v2", 1),
          new Fleet("risk", "v1", 1),
          new Fleet(GATEWAY, "v1", 1));

  /**
   * How to run.
   *
   * @param controlPlane the control plane's data directory and ports
   * @param meshConfig a directory of YAML documents, applied at start
   * @param gatewayOutboundPort the port the gateway sidecar's outbound listener should take; when
   *     it is taken, a free one is used instead (0 always picks a free one)
   */
  record Settings(ControlPlane.Options controlPlane, Path meshConfig, int gatewayOutboundPort) {}

  /** One sample instance: its app, its sidecar and the sidecar's xDS client. */
  record SampleInstance(Registration registration, HttpServer app, Sidecar sidecar, AdsClient ads) {
    String service() {
      return registration.service();
    }

    String id() {
      return registration.instanceId();
    }
  }

  private final ControlPlane plane;
  private final List<SampleInstance> instances = new ArrayList<>();
  private final List<Registration> registered = new ArrayList<>();
  private ApplyOutcome applied;
  private boolean gatewayOutboundFallback;
  private Thread renewal;
  private boolean closed;

  private TradingDemo(ControlPlane plane) {
    this.plane = plane;
  }

  /**
   * Starts the control plane, applies the sample mesh and starts the fleet; on a failure whatever
   * was started is stopped again. The sidecars get their configuration shortly after: see {@link
   * #awaitReady}.
   */
  static TradingDemo start(Settings settings) throws IOException {
    List<SourceFile> mesh = read(settings.meshConfig());
    TradingDemo demo = new TradingDemo(ControlPlane.start(settings.controlPlane()));
    try {
      demo.applied = demo.plane.catalog().apply(mesh, "demo", "sample trading mesh", false);
      demo.startFleet(settings.gatewayOutboundPort());
      return demo;
    } catch (IOException | RuntimeException e) {
      demo.close();
      throw e;
    }
  }

  private void startFleet(int gatewayOutboundPort) throws IOException {
    for (Fleet fleet : FLEET) {
      for (int n = 1; n <= fleet.count(); n++) {
        String id = fleet.service() + "-" + fleet.version() + "-" + n;
        String zone = n % 2 == 0 ? "b" : "a";
        HttpServer app = startApp(fleet.service(), id, fleet.version());
        Sidecar sidecar;
        try {
          sidecar =
              startSidecar(
                  app.getAddress().getPort(),
                  fleet.service().equals(GATEWAY) ? gatewayOutboundPort : 0);
        } catch (RuntimeException e) {
          app.stop(0);
          throw e;
        }
        AdsClient ads;
        try {
          ads =
              AdsClient.builder()
                  .server("127.0.0.1", plane.xdsPort())
                  .node(new NodeIdentity(id, fleet.service(), "eu-west", zone))
                  .onConfig(sidecar::apply)
                  .start();
        } catch (RuntimeException e) {
          sidecar.close();
          app.stop(0);
          throw e;
        }
        InetSocketAddress inbound = sidecar.inboundAddress();
        Registration registration =
            new Registration(
                fleet.service(),
                id,
                inbound.getAddress().getHostAddress(),
                inbound.getPort(),
                Map.of("version", fleet.version(), "region", "eu-west", "zone", zone));
        instances.add(new SampleInstance(registration, app, sidecar, ads));
      }
    }
    for (SampleInstance instance : instances) {
      plane.registry().register(instance.registration(), LEASE);
      registered.add(instance.registration());
    }
    renewal = Thread.ofVirtual().name("demo-lease-renewal").start(this::renewLeases);
  }

  /** The gateway's outbound port is a well-known one, when it is free. */
  private Sidecar startSidecar(int appPort, int outboundPort) {
    try {
      return sidecar(appPort, outboundPort);
    } catch (ListenerBindException e) {
      if (outboundPort == 0 || !e.listener().equals("outbound")) {
        throw e;
      }
      gatewayOutboundFallback = true;
      return sidecar(appPort, 0);
    }
  }

  private static Sidecar sidecar(int appPort, int outboundPort) {
    return Sidecar.builder()
        .router(new SnapshotRouter())
        .localAppPort(appPort)
        .outboundPort(outboundPort)
        .inboundPort(0)
        .adminPort(0)
        .build()
        .start();
  }

  /**
   * A sample app: answers every request with who it is, and what it received that shows the
   * sidecars' work (the path, the {@code x-request-id} the caller's sidecar set, the {@code Via}
   * each sidecar added).
   */
  private static HttpServer startApp(String service, String id, String version) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
    server.createContext(
        "/",
        exchange -> {
          try (exchange) {
            exchange.getRequestBody().readAllBytes();
            byte[] body = describe(exchange, service, id, version);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream os = exchange.getResponseBody()) {
              os.write(body);
            }
          }
        });
    server.start();
    return server;
  }

  private static byte[] describe(HttpExchange exchange, String service, String id, String version)
      throws IOException {
    ObjectNode answer = JSON.createObjectNode();
    answer.put("service", service).put("instance", id).put("version", version);
    answer.put("path", exchange.getRequestURI().toString());
    String requestId = exchange.getRequestHeaders().getFirst("x-request-id");
    if (requestId != null) {
      answer.put("x-request-id", requestId);
    }
    List<String> via = exchange.getRequestHeaders().get("Via");
    if (via != null) {
      answer.put("via", String.join(", ", via));
    }
    return (JSON.writeValueAsString(answer) + "\n").getBytes(StandardCharsets.UTF_8);
  }

  /**
   * Waits until the gateway's sidecar has a configuration that knows every sample instance, so the
   * first call through it finds its endpoints.
   *
   * @return false if that did not happen within {@code timeout}
   */
  boolean awaitReady(Duration timeout) throws InterruptedException {
    Set<String> everyInstance =
        instances.stream()
            .map(i -> i.registration().address() + ":" + i.registration().port())
            .collect(Collectors.toSet());
    Sidecar gateway = gateway().sidecar();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      if (gateway
          .config()
          .map(TradingDemo::endpoints)
          .orElse(Set.of())
          .containsAll(everyInstance)) {
        return true;
      }
      if (System.nanoTime() - deadline > 0) {
        return false;
      }
      Thread.sleep(50);
    }
  }

  private static Set<String> endpoints(DataPlaneConfig config) {
    return config.clusters().values().stream()
        .map(ClusterConfig::endpoints)
        .flatMap(List::stream)
        .map(Endpoint::hostPort)
        .collect(Collectors.toSet());
  }

  ControlPlane controlPlane() {
    return plane;
  }

  ApplyOutcome applied() {
    return applied;
  }

  List<SampleInstance> instances() {
    return List.copyOf(instances);
  }

  SampleInstance gateway() {
    return instances.stream()
        .filter(i -> i.service().equals(GATEWAY))
        .findFirst()
        .orElseThrow(() -> new IllegalStateException("the demo has no gateway instance"));
  }

  /**
   * Whether the gateway's outbound listener took a free port because the one asked for was taken.
   */
  boolean gatewayOutboundFallback() {
    return gatewayOutboundFallback;
  }

  private void renewLeases() {
    while (true) {
      try {
        Thread.sleep(RENEWAL_INTERVAL);
      } catch (InterruptedException e) {
        return;
      }
      for (Registration r : registered) {
        try {
          if (!plane.registry().renew(r.service(), r.instanceId())) {
            // Lapsed (the process was suspended longer than the lease): register again.
            plane.registry().register(r, LEASE);
          }
        } catch (RuntimeException e) {
          log.warn(
              "lease renewal of {}/{} failed, retrying: {}",
              r.service(),
              r.instanceId(),
              e.toString());
        }
      }
    }
  }

  /**
   * Leaves discovery first (so no caller is sent to a sidecar that is going away), then stops the
   * xDS clients, the sidecars and the apps, and the control plane last.
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (renewal != null) {
      // Stopped and awaited before deregistering, or a renewal in flight would register again.
      renewal.interrupt();
      try {
        renewal.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    for (Registration r : registered) {
      try {
        plane.registry().deregister(r.service(), r.instanceId());
      } catch (RuntimeException e) {
        log.warn(
            "could not deregister {}/{}; its lease lapses within {}: {}",
            r.service(),
            r.instanceId(),
            LEASE,
            e.toString());
      }
    }
    instances.forEach(i -> i.ads().close());
    instances.forEach(i -> i.sidecar().close());
    instances.forEach(i -> i.app().stop(0));
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
