package dev.firemesh.control;

import dev.firemesh.api.registry.ServiceInstance;
import dev.firemesh.api.resource.Kind;
import dev.firemesh.control.admin.AdminApi;
import dev.firemesh.control.admin.AdminServer;
import dev.firemesh.control.admin.AdminTls;
import dev.firemesh.control.admin.AdminToken;
import dev.firemesh.control.admin.CaApi;
import dev.firemesh.control.admin.CanaryApi;
import dev.firemesh.control.admin.ConfigApi;
import dev.firemesh.control.admin.DashboardPages;
import dev.firemesh.control.admin.OperatorApi;
import dev.firemesh.control.admin.SessionApi;
import dev.firemesh.control.admin.TlsAuthority;
import dev.firemesh.control.ca.CaFollower;
import dev.firemesh.control.ca.CaMetrics;
import dev.firemesh.control.ca.CertificateAuthority;
import dev.firemesh.control.ca.ExpiryWatch;
import dev.firemesh.control.ca.JoinTokens;
import dev.firemesh.control.ca.KeyEncryptionKey;
import dev.firemesh.control.ca.Rotation;
import dev.firemesh.control.ca.SvidIssuance;
import dev.firemesh.control.canary.CanaryController;
import dev.firemesh.control.catalog.ResourceCatalog;
import dev.firemesh.control.config.PublishedSchemas;
import dev.firemesh.control.discovery.LeaseSweeper;
import dev.firemesh.control.discovery.MeshPublisher;
import dev.firemesh.control.operator.Operators;
import dev.firemesh.control.scrape.SidecarScraper;
import dev.firemesh.control.telemetry.Inventory;
import dev.firemesh.control.telemetry.TelemetryApi;
import dev.firemesh.control.telemetry.TelemetryMetrics;
import dev.firemesh.control.telemetry.TelemetryOptions;
import dev.firemesh.control.telemetry.TraceStore;
import dev.firemesh.control.telemetry.TrafficCollector;
import dev.firemesh.dashboard.DashboardAssets;
import dev.firemesh.identity.CertificateIssuer;
import dev.firemesh.identity.Pem;
import dev.firemesh.identity.SvidVerifier;
import dev.firemesh.store.ChangeFeed;
import dev.firemesh.store.Database;
import dev.firemesh.store.Leadership;
import dev.firemesh.store.ca.CaCertificates;
import dev.firemesh.store.ca.IssuedCertificates;
import dev.firemesh.store.ca.JoinTokenLedger;
import dev.firemesh.store.canary.CanaryRuns;
import dev.firemesh.store.config.ConfigSchemas;
import dev.firemesh.store.operator.OperatorRoster;
import dev.firemesh.store.registry.Registry;
import dev.firemesh.store.resource.ResourceStore;
import dev.firemesh.store.resource.StoredResource;
import dev.firemesh.store.telemetry.TelemetryRollups;
import dev.firemesh.xds.server.NodeAuthentication;
import dev.firemesh.xds.server.XdsServer;
import dev.firemesh.xds.translate.MeshState;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The control plane process: the store (embedded or external PostgreSQL), the registry, the xDS
 * server kept in step with both, the certificate authority, and the admin API. Start with {@link
 * #start(Options)}; close to stop everything in reverse order.
 */
public final class ControlPlane implements AutoCloseable {
  private static final Duration MIN_UNWATCHED = Duration.ofSeconds(2);
  // How often the canary controller looks at its runs; step intervals are at least a second.
  private static final Duration CANARY_TICK = Duration.ofMillis(250);
  private static final Logger log = LoggerFactory.getLogger(ControlPlane.class);
  public static final String VERSION =
      Optional.ofNullable(ControlPlane.class.getPackage().getImplementationVersion())
          .orElse("0.1.0-SNAPSHOT");

  /**
   * How to run.
   *
   * @param dataDir holds the admin token, control.json and, unless {@code storeUrl} is set, the
   *     embedded PostgreSQL's data
   * @param storeUrl an external PostgreSQL ({@code postgresql://user:pass@host:port/db}), or empty
   *     for the embedded one
   * @param ca the certificate authority's trust domain, SVID lifetime, imported CA, warnings
   * @param caKekFile the key-encryption key for CA keys; empty: {@code <dataDir>/ca.kek}, created
   *     at first start. Replicas sharing a database must share this key.
   * @param adminHostnames DNS names the admin API's certificate carries besides {@code localhost}
   *     (the bind address and 127.0.0.1 are always in it)
   * @param telemetry scrape interval, trace memory, rollup retention
   */
  public record Options(
      Path dataDir,
      Optional<String> storeUrl,
      InetSocketAddress adminAddress,
      InetSocketAddress xdsAddress,
      Duration sweepInterval,
      CertificateAuthority.Options ca,
      Optional<Path> caKekFile,
      List<String> adminHostnames,
      TelemetryOptions telemetry) {
    public Options {
      adminHostnames = List.copyOf(adminHostnames);
    }

    public static Options defaults(Path dataDir) {
      return new Options(
          dataDir,
          Optional.empty(),
          new InetSocketAddress("127.0.0.1", ControlPlaneFiles.DEFAULT_ADMIN_PORT),
          new InetSocketAddress("127.0.0.1", ControlPlaneFiles.DEFAULT_XDS_PORT),
          Duration.ofMillis(500),
          CertificateAuthority.Options.defaults(),
          Optional.empty(),
          List.of(),
          TelemetryOptions.defaults());
    }

    public Options withPorts(int adminPort, int xdsPort) {
      return new Options(
          dataDir,
          storeUrl,
          new InetSocketAddress(adminAddress.getHostString(), adminPort),
          new InetSocketAddress(xdsAddress.getHostString(), xdsPort),
          sweepInterval,
          ca,
          caKekFile,
          adminHostnames,
          telemetry);
    }

    public Options withStore(Optional<String> url) {
      return new Options(
          dataDir,
          url,
          adminAddress,
          xdsAddress,
          sweepInterval,
          ca,
          caKekFile,
          adminHostnames,
          telemetry);
    }

    public Options withCa(CertificateAuthority.Options authority) {
      return new Options(
          dataDir,
          storeUrl,
          adminAddress,
          xdsAddress,
          sweepInterval,
          authority,
          caKekFile,
          adminHostnames,
          telemetry);
    }

    public Options withCaKekFile(Optional<Path> file) {
      return new Options(
          dataDir,
          storeUrl,
          adminAddress,
          xdsAddress,
          sweepInterval,
          ca,
          file,
          adminHostnames,
          telemetry);
    }

    public Options withAdminHostnames(List<String> names) {
      return new Options(
          dataDir,
          storeUrl,
          adminAddress,
          xdsAddress,
          sweepInterval,
          ca,
          caKekFile,
          names,
          telemetry);
    }

    public Options withTelemetry(TelemetryOptions options) {
      return new Options(
          dataDir,
          storeUrl,
          adminAddress,
          xdsAddress,
          sweepInterval,
          ca,
          caKekFile,
          adminHostnames,
          options);
    }
  }

  private Database database;
  private ResourceCatalog catalog;
  private Registry registry;
  private XdsServer xds;
  private MeshPublisher publisher;
  private ChangeFeed changeFeed;
  private LeaseSweeper sweeper;
  private CanaryController canaries;
  private TrafficCollector collector;
  private TelemetryApi telemetryApi;
  private CertificateAuthority authority;
  private ExpiryWatch expiryWatch;
  private CaFollower caFollower;
  private AdminServer admin;
  private AdminTls adminTls;
  private String adminHost = "127.0.0.1";
  private AdminToken token;
  private Path dataDir;
  private boolean addressesWritten;

  private ControlPlane() {}

  /**
   * Starts everything, or nothing: on a failure what was started is stopped again.
   *
   * @throws PortInUseException if the admin or xDS port is taken
   */
  public static ControlPlane start(Options options) {
    ControlPlane plane = new ControlPlane();
    try {
      plane.startParts(options);
      return plane;
    } catch (RuntimeException | IOException e) {
      plane.close();
      if (e instanceof IOException io) {
        throw new UncheckedIOException(io);
      }
      throw (RuntimeException) e;
    }
  }

  private void startParts(Options options) throws IOException {
    dataDir = options.dataDir();
    Files.createDirectories(dataDir);
    token = AdminToken.loadOrCreate(dataDir);
    // Take both ports first: a busy one should fail at once, not after PostgreSQL has started.
    // The admin server gets its TLS and operators once the CA and the store are up (below).
    admin = new AdminServer(token);
    try {
      admin.bind(options.adminAddress());
    } catch (IOException e) {
      throw listenFailure("admin API", options.adminAddress(), e);
    }
    // The xDS server needs the CA for its TLS, so it starts below; a busy port fails here.
    try (ServerSocket probe = new ServerSocket()) {
      probe.setReuseAddress(true);
      probe.bind(options.xdsAddress());
    } catch (IOException e) {
      throw listenFailure("xDS", options.xdsAddress(), e);
    }

    // Before PostgreSQL starts: a key file open to others should fail at once.
    KeyEncryptionKey kek =
        options
            .caKekFile()
            .map(KeyEncryptionKey::load)
            .orElseGet(() -> KeyEncryptionKey.loadOrCreate(dataDir));

    database =
        options.storeUrl().map(Database::external).orElseGet(() -> Database.embedded(dataDir));
    Clock clock = Clock.systemUTC();
    authority = CertificateAuthority.start(new CaCertificates(database), kek, options.ca(), clock);
    PublishedSchemas configSchemas = new PublishedSchemas(new ConfigSchemas(database));
    catalog = new ResourceCatalog(new ResourceStore(database), configSchemas::schema);
    registry = new Registry(database);
    resumeLeaseClock(options.sweepInterval());
    TlsAuthority tlsAuthority = tlsAuthority(authority);
    InetAddress bindAddress = options.adminAddress().getAddress();
    adminTls =
        AdminTls.start(
            tlsAuthority,
            new AdminTls.Options(
                options.adminHostnames(),
                Stream.of(bindAddress, options.xdsAddress().getAddress())
                    .filter(Objects::nonNull)
                    .distinct()
                    .toList(),
                AdminTls.DEFAULT_LIFETIME),
            clock,
            this::writeTrustBundle);
    authority.onChange(adminTls::caChanged);
    xds = startXds(options.xdsAddress(), adminTls, clock);

    publisher = new MeshPublisher(this::meshState, xds);
    changeFeed = ChangeFeed.start(database, event -> publisher.requestReload());
    sweeper = new LeaseSweeper(registry, options.sweepInterval());
    Operators operators =
        new Operators(new OperatorRoster(database), authority.trustDomain(), clock);

    new AdminApi(
            catalog, registry, xds::nodes, publisher::servingRevision, database.describe(), VERSION)
        .registerOn(admin);
    new ConfigApi(catalog, configSchemas).registerOn(admin);
    new OperatorApi(operators, tlsAuthority, clock).registerOn(admin);
    new SessionApi().registerOn(admin);
    new DashboardPages(DashboardAssets.fromClassPath()).registerOn(admin);
    CanaryRuns canaryRuns = new CanaryRuns(database);
    new CanaryApi(catalog, canaryRuns).registerOn(admin);
    startTelemetry(options.telemetry(), clock);
    CaMetrics caMetrics = new CaMetrics();
    JoinTokens joinTokens = new JoinTokens(new JoinTokenLedger(database));
    IssuedCertificates issuedCertificates = new IssuedCertificates(database);
    CaApi caApi =
        new CaApi(
            authority,
            joinTokens,
            new SvidIssuance(authority, joinTokens, issuedCertificates, caMetrics),
            caMetrics,
            new Rotation(
                authority,
                new CaCertificates(database),
                issuedCertificates,
                kek,
                options.ca().effectiveBundlePropagation(),
                clock),
            options.ca().warnBefore(),
            clock);
    caApi.registerOn(admin);
    caApi.alsoExpose(telemetryApi::metricsText);
    caApi.alsoExpose(xds::configMetricsText);
    caFollower = CaFollower.start(authority);
    expiryWatch =
        ExpiryWatch.start(authority::certificates, options.ca().warnBefore(), clock::instant);
    canaries =
        CanaryController.start(
            catalog,
            canaryRuns,
            new Leadership(database, "canary-controller", CanaryController.LEAD_LOCK),
            xds::nodes,
            CANARY_TICK);
    admin.start(adminTls, operators);
    // However short the outage was, renewals were refused until now; see extendLiveLeases.
    registry.extendLiveLeases();
    adminHost =
        bindAddress == null || bindAddress.isAnyLocalAddress()
            ? "127.0.0.1"
            : bindAddress.getHostAddress();
    writeAddresses();
    log.info(
        "control plane up: admin {}, xDS {}:{}, store {}",
        adminUrl(),
        options.xdsAddress().getHostString(),
        xds.port(),
        database.describe());
  }

  /**
   * The OTLP receiver and trace store, the collector of the sidecars' golden metrics and its
   * rollups, and their API. Every replica runs its own: each scrapes the sidecars connected to it
   * and writes its own rollup rows.
   */
  private void startTelemetry(TelemetryOptions options, Clock clock) {
    TelemetryMetrics metrics = new TelemetryMetrics();
    TraceStore traces = new TraceStore(options.traceMemoryBytes(), metrics);
    collector =
        new TrafficCollector(
                xds::nodes,
                new SidecarScraper(Duration.ofSeconds(1), Duration.ofSeconds(2)),
                () ->
                    Inventory.of(
                        registry.instances(),
                        catalog.list(Optional.of(Kind.SERVICE)).stream()
                            .map(StoredResource::name)
                            .toList()),
                Optional.of(new TelemetryRollups(database, options.rollupRetention())),
                replicaName(),
                metrics,
                clock)
            .start(options.scrapeInterval());
    telemetryApi = new TelemetryApi(traces, collector, catalog, registry, metrics, clock);
    telemetryApi.registerOn(admin);
  }

  /** This replica in the rollups: its host and admin port, stable across restarts. */
  private String replicaName() {
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      host = "localhost";
    }
    return host + ":" + admin.port();
  }

  /** The CA as the admin API's TLS sees it: read at every renewal, so a rotation reaches it. */
  private static TlsAuthority tlsAuthority(CertificateAuthority ca) {
    return new TlsAuthority() {
      @Override
      public String trustDomain() {
        return ca.trustDomain();
      }

      @Override
      public List<X509Certificate> trustBundle() {
        return ca.trustBundle();
      }

      @Override
      public X509Certificate signer() {
        return ca.signingCertificate();
      }

      @Override
      public List<X509Certificate> sign(
          BiFunction<CertificateIssuer, Instant, X509Certificate> leaf) {
        return ca.sign(leaf);
      }
    };
  }

  /** {@code <data-dir>/trust-bundle.pem}: what the CLI trusts for the admin connection. */
  private void writeTrustBundle(List<X509Certificate> roots) {
    try {
      ControlPlaneFiles.writeTrustBundle(dataDir, Pem.encodeCertificates(roots));
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot write " + dataDir.resolve(ControlPlaneFiles.TRUST_BUNDLE), e);
    }
  }

  /**
   * The xDS server, over TLS with the admin API's certificate (the same names, the same renewals),
   * serving only workloads that present an SVID of this mesh, each for its own service.
   */
  private static XdsServer startXds(InetSocketAddress address, AdminTls tls, Clock clock) {
    NodeAuthentication authentication =
        new NodeAuthentication(
            tls.context(),
            chain ->
                new SvidVerifier(tls.trustDomain(), tls.trustBundle())
                    .verify(chain, clock.instant()));
    try {
      return XdsServer.builder(address).authentication(authentication).start();
    } catch (RuntimeException e) {
      throw listenFailure("xDS", address, e);
    }
  }

  /** A listener that could not start: "port in use" when it is, else the failure as it came. */
  private static RuntimeException listenFailure(
      String listener, InetSocketAddress address, Exception e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      // Netty's native transport reports EADDRINUSE as a plain IOException, hence the message.
      if (t instanceof BindException
          || String.valueOf(t.getMessage()).contains("Address already in use")) {
        return new PortInUseException(listener, address, e);
      }
    }
    return e instanceof RuntimeException r
        ? r
        : new UncheckedIOException(
            "cannot listen on the "
                + listener
                + " port "
                + address.getHostString()
                + ":"
                + address.getPort(),
            (IOException) e);
  }

  private MeshPublisher.Publication meshState() {
    long revision = catalog.head();
    List<ServiceInstance> instances =
        registry.instances().stream()
            .map(
                i ->
                    new ServiceInstance(
                        i.service(), i.instanceId(), i.address(), i.port(), i.labels()))
            .toList();
    return new MeshPublisher.Publication(
        revision, new MeshState(catalog.currentResources(), instances));
  }

  /**
   * Before the first publish: leases that could not be renewed because no control plane was running
   * are extended by that time (see {@link Registry#resumeLeaseClock}). Running replicas mark the
   * clock every sweep, so a gap of several sweeps means none was.
   */
  private void resumeLeaseClock(Duration sweepInterval) {
    Duration tolerance = sweepInterval.multipliedBy(4);
    if (tolerance.compareTo(MIN_UNWATCHED) < 0) {
      tolerance = MIN_UNWATCHED;
    }
    registry
        .resumeLeaseClock(tolerance)
        .ifPresent(
            gap ->
                log.info(
                    "no control plane ran for {} ms: live leases extended by that time, so"
                        + " instances can renew before any lapses",
                    gap.toMillis()));
    // Live leases get a whole TTL now, and again once the admin API takes renewals (start()).
    registry.extendLiveLeases();
  }

  /** Writes control.json, where the CLI finds this control plane; removed again by close(). */
  private void writeAddresses() throws IOException {
    Map<String, Object> info = new LinkedHashMap<>();
    info.put("admin", adminUrl());
    info.put("xds", "127.0.0.1:" + xds.port());
    info.put("pid", ProcessHandle.current().pid());
    info.put("store", database.describe());
    ControlPlaneFiles.writeAddresses(dataDir, info);
    addressesWritten = true;
  }

  /** {@code https://<address>:<port>}, the address as the admin certificate names it. */
  public String adminUrl() {
    String host = adminHost.contains(":") ? "[" + adminHost + "]" : adminHost;
    return "https://" + host + ":" + admin.port();
  }

  /** {@code <data-dir>/trust-bundle.pem}: the roots a client of the admin API trusts. */
  public Path trustBundleFile() {
    return dataDir.resolve(ControlPlaneFiles.TRUST_BUNDLE);
  }

  public int adminPort() {
    return admin.port();
  }

  public int xdsPort() {
    return xds.port();
  }

  public String adminToken() {
    return token.value();
  }

  public ResourceCatalog catalog() {
    return catalog;
  }

  /** The certificate authority, shared with every replica on the same database. */
  public CertificateAuthority certificateAuthority() {
    return authority;
  }

  public Registry registry() {
    return registry;
  }

  public String storeDescription() {
    return database.describe();
  }

  /**
   * Stops everything in the reverse order of start: first control.json goes (if it still names this
   * process), so no CLI finds a control plane that is going away; then the admin API, so no call
   * meets a closed store; PostgreSQL last.
   */
  @Override
  public void close() {
    if (addressesWritten) {
      addressesWritten = false;
      try {
        ControlPlaneFiles.removeAddresses(dataDir, ProcessHandle.current().pid());
      } catch (IOException e) {
        log.warn(
            "could not remove {}: {}", dataDir.resolve(ControlPlaneFiles.ADDRESSES), e.toString());
      }
    }
    stop(admin);
    stop(adminTls);
    stop(canaries);
    stop(collector);
    stop(expiryWatch);
    stop(caFollower);
    stop(sweeper);
    stop(changeFeed);
    stop(publisher);
    stop(xds);
    stop(database);
    admin = null;
    adminTls = null;
    canaries = null;
    collector = null;
    expiryWatch = null;
    caFollower = null;
    sweeper = null;
    changeFeed = null;
    publisher = null;
    xds = null;
    database = null;
  }

  private static void stop(AutoCloseable part) {
    if (part == null) {
      return;
    }
    try {
      part.close();
    } catch (Exception e) {
      log.warn("while stopping {}: {}", part.getClass().getSimpleName(), e.toString());
    }
  }
}
