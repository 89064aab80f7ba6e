package dev.firemesh.cli;

import dev.firemesh.identity.WorkloadSslContext;
import dev.firemesh.proxy.Sidecar;
import dev.firemesh.proxy.admin.AdminExtension;
import dev.firemesh.traffic.route.SnapshotRouter;
import dev.firemesh.workload.admin.AdminCallException;
import dev.firemesh.workload.admin.AdminHttp;
import dev.firemesh.workload.admin.ClientTls;
import dev.firemesh.workload.admin.PlainJson;
import dev.firemesh.workload.identity.IdentityAgent;
import dev.firemesh.workload.registry.InstanceLease;
import dev.firemesh.xds.client.AdsClient;
import dev.firemesh.xds.translate.NodeIdentity;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sidecar this process runs ({@code firemesh proxy}, {@code firemesh run}), listening, with its
 * xDS client subscribed on the sidecar's own event loop.
 */
final class RunningSidecar implements AutoCloseable {
  private static final Duration CONFIG_PROBE_INTERVAL = Duration.ofMillis(20);

  /** How waiting for the first configuration ended. */
  enum FirstConfig {
    ARRIVED,
    /** The control plane did not answer within the short bound, or answered nothing usable. */
    NOT_IN_TIME,
    /** The process was told to stop while waiting. */
    STOPPED
  }

  // Registration labels the mesh sets, whatever -l says.
  static final String ENV_LABEL = InstanceLease.ENV_LABEL;
  static final String IDENTITY_LABEL = InstanceLease.IDENTITY_LABEL;
  private static final Logger log = LoggerFactory.getLogger(RunningSidecar.class);

  private final SidecarOptions options;
  private final String instanceId;
  private final Sidecar sidecar;
  private final AdsClient ads;
  private final IdentityAgent identity;

  private RunningSidecar(
      SidecarOptions options,
      String instanceId,
      Sidecar sidecar,
      AdsClient ads,
      IdentityAgent identity) {
    this.options = options;
    this.instanceId = instanceId;
    this.sidecar = sidecar;
    this.ads = ads;
    this.identity = identity;
  }

  /**
   * Binds the sidecar's listeners and opens its xDS stream.
   *
   * <p>The workload is enrolled first (a key pair, a certificate for its identity), so that the
   * inbound listener speaks mTLS from its first connection and the xDS stream can prove who asks:
   * with the join token it was given, or else with one it asks for on the operator credentials it
   * runs with (its data directory's admin token, or an operator's certificate).
   *
   * @throws BadInputException for a bad {@code --app-port}, {@code --upstream} or {@code --env}, or
   *     no way to an identity
   * @throws AdminCallException if the control plane refuses the join token
   * @throws RuntimeException if a listener cannot bind
   */
  static RunningSidecar start(SidecarOptions options, String instanceId, AdminExtension extension) {
    String[] xds = options.xdsAddress().split(":");
    Sidecar.Builder builder =
        options.sidecar().router(new SnapshotRouter()).adminExtension(extension);
    if (options.appPorts.isEmpty()) {
      builder.outboundOnly();
    }
    IdentityAgent identity =
        new WorkloadEnrolment(options.connection, options.service, options.env)
            .enrol(options.joinToken());
    builder.credentials(identity.credentials());
    try {
      builder.tracing(
          options.tracing.tracing(
              options.connection.workloadHttp().base(),
              identity::credentials,
              options.service,
              instanceId,
              options.env));
    } catch (RuntimeException e) {
      identity.close();
      throw e;
    }
    Sidecar sidecar;
    try {
      sidecar = builder.build().start();
    } catch (RuntimeException e) {
      identity.close();
      throw e;
    }
    identity.start(sidecar::updateCredentials);
    sidecar.attach(identity);
    AdsClient ads =
        AdsClient.builder()
            .server(xds[0], Integer.parseInt(xds[1]))
            // The control plane serves configuration only to a workload that proves its service.
            .tls(WorkloadSslContext.following(identity::credentials))
            .node(
                new NodeIdentity(
                    instanceId,
                    options.service,
                    options.labels.getOrDefault("region", ""),
                    options.labels.getOrDefault("zone", "")))
            // Where the control plane reads this sidecar's metrics, for canary analysis.
            .metadata(NodeIdentity.ADMIN_ADDRESS_KEY, hostPort(sidecar.adminAddress()))
            .onConfig(sidecar::apply)
            // The sidecar's event loop, not a thread and selector of the client's own.
            .eventLoop(sidecar.eventLoops(), sidecar.channelType())
            .start();
    sidecar.attach(ads); // ends before the loop stops, when a drain closes the sidecar
    return new RunningSidecar(options, instanceId, sidecar, ads, identity);
  }

  /**
   * The client this instance registers through: its SVID as the TLS client certificate and no admin
   * token (the control plane then allows only this service's instances and takes the identity from
   * the certificate).
   */
  AdminHttp registrationClient() {
    return new AdminHttp(
        options.connection.workloadHttp().base(),
        Optional.empty(),
        Optional.of(ClientTls.following(identity::credentials)));
  }

  /**
   * The labels this instance registers with: {@code -l}'s, its environment, and its identity when
   * it has one (callers' sidecars then insist on meeting exactly that identity at this endpoint).
   */
  Map<String, String> registrationLabels() {
    Map<String, String> labels = new LinkedHashMap<>(options.labels);
    labels.put(ENV_LABEL, options.env);
    labels.put(IDENTITY_LABEL, identity.credentials().identity().toString());
    return labels;
  }

  Sidecar sidecar() {
    return sidecar;
  }

  String xdsServer() {
    return ads.status().server();
  }

  /**
   * Waits for the first configuration from the control plane: at most {@code max}, and {@code
   * unconnectedMax} while its stream does not even answer.
   */
  FirstConfig awaitFirstConfig(Duration max, Duration unconnectedMax, CountDownLatch stopping)
      throws InterruptedException {
    long start = System.nanoTime();
    while (!sidecar.ready()) {
      Duration waited = Duration.ofNanos(System.nanoTime() - start);
      if (waited.compareTo(max) >= 0
          || (!ads.status().connected() && waited.compareTo(unconnectedMax) >= 0)) {
        return FirstConfig.NOT_IN_TIME;
      }
      if (stopping.await(CONFIG_PROBE_INTERVAL.toMillis(), TimeUnit.MILLISECONDS)) {
        return FirstConfig.STOPPED;
      }
    }
    return FirstConfig.ARRIVED;
  }

  /** Whether the xDS stream to the control plane is up now. */
  boolean connected() {
    return ads.status().connected();
  }

  /**
   * What the sidecar serves, for a person reading the terminal; {@code xdsNote} ends the last line.
   */
  void printBanner(PrintWriter out, String xdsNote) {
    out.println(
        "FireMesh sidecar for "
            + options.service
            + "/"
            + instanceId
            + " ("
            + sidecar.transport()
            + ")");
    out.println(
        "  outbound  http://" + hostPort(sidecar.outboundAddress()) + "   (the app's HTTP proxy)");
    out.println(
        "  inbound   "
            + hostPort(sidecar.inboundAddress())
            + (options.appPorts.isEmpty()
                ? "   (no --app-port: never registered)"
                : " -> app " + options.appPortsText()));
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
        "  identity  "
            + identity.credentials().identity()
            + "   (mTLS with peers and the control plane)");
    out.println("  xDS       " + options.xdsAddress() + "   " + xdsNote);
    out.flush();
  }

  /** The bound addresses and this process's pid as JSON, replacing {@code file} atomically. */
  void writeReadyFile(Path file) throws IOException {
    Map<String, Object> ready = new LinkedHashMap<>();
    ready.put("instanceId", instanceId);
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
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.writeString(tmp, PlainJson.pretty(ready));
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  /** Stops at once: listeners, connections, the xDS stream. */
  @Override
  public void close() {
    ads.close();
    sidecar.close();
  }

  static String hostPort(InetSocketAddress address) {
    return address.getAddress().getHostAddress() + ":" + address.getPort();
  }
}
