package dev.firemesh.chassis;

import dev.firemesh.chassis.client.MeshClient;
import dev.firemesh.chassis.config.ConfigBinder;
import dev.firemesh.chassis.config.ConfigFeed;
import dev.firemesh.chassis.config.ConfigUnavailableException;
import dev.firemesh.chassis.config.ServiceConfig;
import dev.firemesh.chassis.cqrs.Aggregate;
import dev.firemesh.chassis.cqrs.CommandProcessor;
import dev.firemesh.chassis.cqrs.CommandTypes;
import dev.firemesh.chassis.cqrs.Commands;
import dev.firemesh.chassis.cqrs.Snapshots;
import dev.firemesh.chassis.events.EventStore;
import dev.firemesh.chassis.events.EventTypes;
import dev.firemesh.chassis.events.subscription.OperatorRequests;
import dev.firemesh.chassis.events.subscription.Subscription;
import dev.firemesh.chassis.events.subscription.Subscriptions;
import dev.firemesh.chassis.grpc.ChassisGrpcServer;
import dev.firemesh.chassis.health.Health;
import dev.firemesh.chassis.http.ChassisServer;
import dev.firemesh.chassis.http.HttpResponse;
import dev.firemesh.chassis.http.HttpRoutes;
import dev.firemesh.chassis.refdata.ReferenceSet;
import dev.firemesh.chassis.refdata.owner.ReferenceDataOwner;
import dev.firemesh.chassis.refdata.replica.ReferenceDataReplica;
import dev.firemesh.chassis.refdata.replica.ReferenceDataUnavailableException;
import dev.firemesh.chassis.schedule.Scheduler;
import dev.firemesh.chassis.schedule.Task;
import dev.firemesh.chassis.store.ChassisStore;
import dev.firemesh.chassis.telemetry.LogFormat;
import dev.firemesh.chassis.telemetry.ServiceTelemetry;
import dev.firemesh.store.Database;
import dev.firemesh.telemetry.otlp.OtlpHttpExporter;
import dev.firemesh.telemetry.trace.Resource;
import dev.firemesh.telemetry.trace.Sampler;
import dev.firemesh.xds.translate.NodeIdentity;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running FireMesh service: its HTTP server, health, telemetry and mesh membership, started in
 * one call and stopped in the right order.
 *
 * <pre>{@code
 * Chassis chassis = Chassis.builder()
 *     .service("orders")
 *     .environment("prod")
 *     .routes(HttpRoutes.builder().post("/orders", desk::place).build())
 *     .start();
 * chassis.awaitStop();
 * }</pre>
 *
 * <p><b>Stopping</b> (SIGTERM, {@link #close()}): readiness goes down; the instance leaves
 * discovery; for the drain delay requests are still served (callers' sidecars are learning that it
 * left); then no new request is taken, the ones in flight get up to the stop grace to finish; then
 * feeds, store and identity close, and {@link #awaitStop()} returns: a {@code main} that waits on
 * it returns and the process exits 0. A second SIGTERM changes nothing; SIGKILL is the way to stop
 * now.
 */
public final class Chassis implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Chassis.class);

  private final ChassisSettings settings;
  private final ServiceTelemetry telemetry;
  private final Health health;
  private final ChassisServer server;
  private final Optional<ChassisGrpcServer> grpcServer;
  private final Optional<MeshMembership> membership;
  private final ServiceContext context;
  private final List<AutoCloseable> closeLast;
  private final AtomicBoolean stopping = new AtomicBoolean();
  private final CountDownLatch stopped = new CountDownLatch(1);
  private final Thread shutdownHook;

  private Chassis(
      ChassisSettings settings,
      ServiceTelemetry telemetry,
      Health health,
      ChassisServer server,
      Optional<ChassisGrpcServer> grpcServer,
      Optional<MeshMembership> membership,
      ServiceContext context,
      List<AutoCloseable> closeLast) {
    this.settings = settings;
    this.telemetry = telemetry;
    this.health = health;
    this.server = server;
    this.grpcServer = grpcServer;
    this.membership = membership;
    this.context = context;
    this.closeLast = List.copyOf(closeLast);
    this.shutdownHook = Thread.ofPlatform().name("firemesh-chassis-stop").unstarted(this::close);
  }

  public static Builder builder() {
    return new Builder(Environment.ofProcess());
  }

  static Builder builder(Environment environment) {
    return new Builder(environment);
  }

  public String service() {
    return settings.service();
  }

  public String instanceId() {
    return settings.instanceId();
  }

  /** Where the service's HTTP server listens. */
  public InetSocketAddress address() {
    return server.address();
  }

  /** Where the service's gRPC server listens, if it has gRPC services. */
  public Optional<InetSocketAddress> grpcAddress() {
    return grpcServer.map(ChassisGrpcServer::address);
  }

  public Health health() {
    return health;
  }

  /** The service's live configuration; see {@link ServiceContext#config}. */
  public <T extends Record> ServiceConfig<T> config(Class<T> type) {
    return context.config(type);
  }

  /** What the service's code is given: configuration, telemetry, health. */
  public ServiceContext context() {
    return context;
  }

  /** The workload's SPIFFE ID, when it has joined a mesh. */
  public Optional<String> identity() {
    return membership.map(m -> m.credentials().identity().toString());
  }

  public ServiceTelemetry telemetry() {
    return telemetry;
  }

  /** Blocks until the chassis has stopped (SIGTERM, or {@link #close()} from another thread). */
  public void awaitStop() throws InterruptedException {
    stopped.await();
  }

  @Override
  public void close() {
    if (!stopping.compareAndSet(false, true)) {
      try {
        stopped.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return;
    }
    try {
      log.info("stopping service={} instance={}", settings.service(), settings.instanceId());
      health.stopping();
      membership.ifPresent(MeshMembership::deregister);
      sleep(settings.drainDelay());
      // Both servers drain at once: the grace is one bound on the whole stop.
      Thread grpcStop =
          Thread.ofVirtual()
              .start(() -> grpcServer.ifPresent(grpc -> grpc.stop(settings.stopGrace())));
      server.refuseNewWork();
      context.ownerIfAny().ifPresent(ReferenceDataOwner::endLongPolls);
      server.stop(settings.stopGrace());
      try {
        grpcStop.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      for (AutoCloseable resource : closeLast.reversed()) {
        try {
          resource.close();
        } catch (Exception e) {
          log.warn("closing {} failed: {}", resource, e.toString());
        }
      }
      telemetry.close();
      log.info("stopped service={} instance={}", settings.service(), settings.instanceId());
    } finally {
      stopped.countDown();
      if (Thread.currentThread() != shutdownHook) {
        try {
          Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
          // The JVM is already shutting down: the hook is running or about to.
        }
      }
    }
  }

  /**
   * SIGTERM and SIGINT start the ordered stop on a thread of their own, and {@link #awaitStop()}
   * returns once it is done, so a {@code main} that waits on it returns and the JVM exits 0, as a
   * supervisor expects of a clean stop. A JVM that exits any other way ({@code System.exit}) still
   * stops the chassis in order, from a shutdown hook.
   */
  private void takeSignals() {
    for (String name : new String[] {"TERM", "INT"}) {
      sun.misc.Signal.handle(
          new sun.misc.Signal(name),
          signal -> Thread.ofPlatform().name("firemesh-chassis-sig" + name).start(this::close));
    }
    Runtime.getRuntime().addShutdownHook(shutdownHook);
  }

  private static void sleep(Duration delay) {
    if (delay.isZero()) {
      return;
    }
    try {
      Thread.sleep(delay);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Options of a service; every one has a default, from the environment or the mesh's own. */
  public static final class Builder {
    private final Environment environment;
    private String service;
    private String env;
    private String instanceId;
    private String region;
    private String zone;
    private Integer port;
    private final List<Function<ServiceContext, HttpRoutes>> routes = new ArrayList<>();
    private double traceSampleRatio = Sampler.DEFAULT.ratio();
    private Duration slowThreshold = Sampler.DEFAULT.slowThreshold();
    private final List<URI> otlpEndpoints = new ArrayList<>();
    private LogFormat logFormat = LogFormat.JSON;
    private Duration drainDelay = Duration.ofSeconds(1);
    private Duration stopGrace = Duration.ofSeconds(10);
    private boolean stopOnSigterm = true;
    private URI controlPlane;
    private Path trustBundle;
    private String xds;
    private String joinToken;
    private boolean standalone;
    private InetSocketAddress advertise;
    private Duration leaseTtl = Duration.ofSeconds(10);
    private final Map<String, String> labels = new LinkedHashMap<>();
    private Path dataDirectory;
    private ConfigBinder<?> configBinder;
    private final List<ReferenceSet<?>> owned = new ArrayList<>();
    private String storeUrl;
    private String referenceOwner;
    private final List<ReferenceSet<?>> followed = new ArrayList<>();
    private URI referenceOwnerAddress;
    private InetSocketAddress outbound;
    private final Map<String, URI> serviceAddresses = new LinkedHashMap<>();
    private Duration callTimeout = Duration.ofSeconds(5);
    private final List<Function<ServiceContext, List<?>>> grpcServices = new ArrayList<>();
    private Integer grpcPort;
    private Duration configWait = Duration.ofSeconds(10);
    private Duration controlPlaneWait = Duration.ofSeconds(30);
    private Duration referenceDataWait = Duration.ofSeconds(30);
    private EventTypes eventTypes;
    private CommandTypes commandTypes;
    private final List<Consumer<CommandProcessor.Builder>> aggregates = new ArrayList<>();
    private final List<Function<ServiceContext, List<Subscription>>> subscriptions =
        new ArrayList<>();
    private final List<Function<ServiceContext, List<Task>>> tasks = new ArrayList<>();

    private Builder(Environment environment) {
      this.environment = environment;
    }

    /** The service's logical name; default {@code FIREMESH_SERVICE}. Required. */
    public Builder service(String service) {
      this.service = Objects.requireNonNull(service, "service");
      return this;
    }

    /**
     * The environment (dev, uat, prod...) whose configuration applies; default {@code
     * FIREMESH_ENV}, else {@code dev}.
     */
    public Builder environment(String environment) {
      this.env = Objects.requireNonNull(environment, "environment");
      return this;
    }

    /** This instance's id; default {@code FIREMESH_INSTANCE_ID}, else service-host-pid. */
    public Builder instanceId(String instanceId) {
      this.instanceId = Objects.requireNonNull(instanceId, "instanceId");
      return this;
    }

    /** Locality; defaults {@code FIREMESH_REGION} and {@code FIREMESH_ZONE}, else none. */
    public Builder locality(String region, String zone) {
      this.region = Objects.requireNonNull(region, "region");
      this.zone = Objects.requireNonNull(zone, "zone");
      return this;
    }

    /**
     * The port of the service's HTTP server on 127.0.0.1; default {@code FIREMESH_APP_PORT}, else 0
     * (an ephemeral port: right for tests, wrong behind a sidecar, which must know it).
     */
    public Builder port(int port) {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("port must be 0 to 65535: " + port);
      }
      this.port = port;
      return this;
    }

    /** The service's routes; added to the chassis's own ({@code /health}, {@code /metrics}). */
    public Builder routes(HttpRoutes routes) {
      Objects.requireNonNull(routes, "routes");
      this.routes.add(context -> routes);
      return this;
    }

    /**
     * Routes built once the chassis has the service's configuration and feeds, just before it
     * serves: {@code .routes(context -> new
     * OrdersApi(context.config(OrdersConfig.class)).routes())}.
     */
    public Builder routes(Function<ServiceContext, HttpRoutes> factory) {
      this.routes.add(Objects.requireNonNull(factory, "factory"));
      return this;
    }

    /**
     * gRPC services (generated {@code *ImplBase}s or {@code ServerServiceDefinition}s), served on
     * their own port ({@link #grpcPort}), built once the chassis has the service's configuration
     * and feeds.
     */
    public Builder grpc(Function<ServiceContext, List<?>> factory) {
      grpcServices.add(Objects.requireNonNull(factory, "factory"));
      return this;
    }

    /**
     * The gRPC server's port on 127.0.0.1; default {@code FIREMESH_GRPC_PORT}, else 0 (an ephemeral
     * one).
     */
    public Builder grpcPort(int port) {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("grpcPort must be 0 to 65535: " + port);
      }
      this.grpcPort = port;
      return this;
    }

    /** The share of new traces sampled (0 to 1); default 0.01. Failed and slow spans always are. */
    public Builder traceSampleRatio(double ratio) {
      this.traceSampleRatio = ratio;
      return this;
    }

    /** A served request slower than this has its span exported; default 250 ms. */
    public Builder slowThreshold(Duration threshold) {
      this.slowThreshold = Objects.requireNonNull(threshold, "threshold");
      return this;
    }

    /**
     * An OTLP/HTTP endpoint, its base URL ({@code http://collector:4318}: spans go to {@code
     * /v1/traces} under it); may repeat. In the mesh the control plane is always one.
     */
    public Builder otlpEndpoint(URI endpoint) {
      this.otlpEndpoints.add(Objects.requireNonNull(endpoint, "endpoint"));
      return this;
    }

    /** JSON log lines on standard output (default), or logging as the service set it up. */
    public Builder logFormat(LogFormat format) {
      this.logFormat = Objects.requireNonNull(format, "format");
      return this;
    }

    /**
     * How long the instance keeps serving after it left discovery, while callers' sidecars learn it
     * left; default 1 s.
     */
    public Builder drainDelay(Duration delay) {
      this.drainDelay = nonNegative(delay, "drainDelay");
      return this;
    }

    /** How long requests in flight may take to finish once no new one is taken; default 10 s. */
    public Builder stopGrace(Duration grace) {
      this.stopGrace = nonNegative(grace, "stopGrace");
      return this;
    }

    /**
     * The control plane's admin API and the PEM roots its certificate chains to; defaults {@code
     * FIREMESH_CONTROL_PLANE} and {@code FIREMESH_CA_FILE}. With one, the service enrols for its
     * identity, registers, and takes its configuration from the mesh; without one (and not {@link
     * #standalone()}) start fails, saying so.
     */
    public Builder controlPlane(URI adminApi, Path trustBundle) {
      this.controlPlane = Objects.requireNonNull(adminApi, "adminApi");
      this.trustBundle = Objects.requireNonNull(trustBundle, "trustBundle");
      return this;
    }

    /**
     * The control plane's xDS address, {@code host:port}, for configuration; default {@code
     * FIREMESH_XDS}.
     */
    public Builder xds(String hostPort) {
      this.xds = Objects.requireNonNull(hostPort, "hostPort");
      return this;
    }

    /**
     * The one-use join token an operator issued for this service ({@code firemesh token create});
     * default {@code FIREMESH_JOIN_TOKEN}.
     */
    public Builder joinToken(String token) {
      this.joinToken = Objects.requireNonNull(token, "token");
      return this;
    }

    /**
     * No control plane: no identity, no registration, the configuration's defaults in code. For
     * tests and a developer's laptop; the environment's control plane settings are ignored.
     */
    public Builder standalone() {
      this.standalone = true;
      return this;
    }

    /**
     * The address callers reach this instance at, registered in discovery; default {@code
     * FIREMESH_INBOUND} (the sidecar's inbound listener), else the service's own HTTP address.
     */
    public Builder advertise(InetSocketAddress address) {
      this.advertise = Objects.requireNonNull(address, "address");
      return this;
    }

    /** The registration lease, renewed every third of it; default 10 s. */
    public Builder leaseTtl(Duration ttl) {
      if (ttl.toSeconds() < 1) {
        throw new IllegalArgumentException("leaseTtl must be at least 1s: " + ttl);
      }
      this.leaseTtl = ttl;
      return this;
    }

    /** A label the instance registers with ({@code version=v2}); subsets select on them. */
    public Builder label(String key, String value) {
      labels.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
      return this;
    }

    /**
     * Where the chassis keeps what it caches (the last good configuration); default {@code
     * FIREMESH_STATE_DIR}, else {@code .firemesh} in the working directory.
     */
    public Builder dataDirectory(Path directory) {
      this.dataDirectory = Objects.requireNonNull(directory, "directory");
      return this;
    }

    /**
     * The service's configuration: a record type and its defaults in code (a {@code null} component
     * has no default: some {@code Config} must set it). Its schema is published to the control
     * plane so {@code firemesh apply} refuses values this record cannot take; the value in force is
     * {@link Chassis#config(Class)}.
     */
    public <T extends Record> Builder config(Class<T> type, T defaults) {
      this.configBinder = ConfigBinder.of(type, defaults);
      return this;
    }

    /**
     * How long start waits for a control plane that cannot be reached (one starting at the same
     * time) before it fails, saying so; default 30 s. A refusal (a bad token) fails at once.
     */
    public Builder controlPlaneWait(Duration wait) {
      this.controlPlaneWait = nonNegative(wait, "controlPlaneWait");
      return this;
    }

    /**
     * How long start waits for the first configuration before it falls back to the cached copy;
     * default 10 s.
     */
    public Builder configWait(Duration wait) {
      this.configWait = nonNegative(wait, "configWait");
      return this;
    }

    /**
     * Makes this service the owner of these reference data sets: commands change them, recorded in
     * the service's store, and the feed replicas follow is served at {@code
     * /firemesh/refdata/v1/*}.
     */
    public Builder ownReferenceData(ReferenceSet<?>... sets) {
      owned.addAll(List.of(sets));
      return this;
    }

    /**
     * The service's PostgreSQL, by URL ({@code postgresql://user:pass@host:5432/db} or {@code
     * jdbc:postgresql://...}); default {@code FIREMESH_STORE_URL}, else an embedded server under
     * the data directory. Opened when the service keeps state: reference data it owns, events,
     * subscriptions, scheduled tasks; every instance of a service shares one.
     */
    public Builder store(String url) {
      this.storeUrl = Objects.requireNonNull(url, "url");
      return this;
    }

    /**
     * Follows reference data owned by {@code ownerService}: a live, read-only replica in memory
     * ({@link ServiceContext#referenceData()}), loaded at start and kept current.
     */
    public Builder referenceData(String ownerService, ReferenceSet<?>... sets) {
      this.referenceOwner = Objects.requireNonNull(ownerService, "ownerService");
      followed.addAll(List.of(sets));
      return this;
    }

    /**
     * How long start keeps trying for the first snapshot of the reference data (the owner may start
     * after its readers) before it fails, saying so; default 30 s.
     */
    public Builder referenceDataWait(Duration wait) {
      this.referenceDataWait = nonNegative(wait, "referenceDataWait");
      return this;
    }

    /**
     * Where the reference data owner is, for a service without a sidecar (tests, development);
     * behind a sidecar the owner is reached by name.
     */
    public Builder referenceDataAt(URI ownerAddress) {
      this.referenceOwnerAddress = Objects.requireNonNull(ownerAddress, "ownerAddress");
      return this;
    }

    /**
     * The sidecar's outbound listener, which calls to other services go through; default {@code
     * FIREMESH_OUTBOUND}.
     */
    public Builder outbound(InetSocketAddress sidecarOutbound) {
      this.outbound = Objects.requireNonNull(sidecarOutbound, "sidecarOutbound");
      return this;
    }

    /**
     * Where a service is, for a service without a sidecar: calls to it go straight there, with no
     * mTLS, balancing or retries. For tests and development.
     */
    public Builder serviceAt(String service, URI address) {
      serviceAddresses.put(
          Objects.requireNonNull(service, "service"), Objects.requireNonNull(address, "address"));
      return this;
    }

    /**
     * The event types this service writes and reads, with their schema versions and upcasters:
     * opens the service's event store ({@link ServiceContext#events()}) in its store.
     */
    public Builder events(EventTypes types) {
      this.eventTypes = Objects.requireNonNull(types, "types");
      return this;
    }

    /**
     * The command types this service takes (for its aggregates) and sends (with {@link
     * ServiceContext#commands()}), by name.
     */
    public Builder commands(CommandTypes types) {
      this.commandTypes = Objects.requireNonNull(types, "types");
      return this;
    }

    /**
     * An event-sourced aggregate this service owns: commands to its category are decided here
     * ({@code POST /firemesh/commands/v1/<category>/<id>}, or {@link
     * ServiceContext#commandProcessor()} in process). Needs {@link #events} and {@link #commands}.
     */
    public <S, C, E> Builder aggregate(Aggregate<S, C, E> aggregate, Class<C> commandType) {
      Objects.requireNonNull(aggregate, "aggregate");
      Objects.requireNonNull(commandType, "commandType");
      aggregates.add(processor -> processor.aggregate(aggregate, commandType));
      return this;
    }

    /** As {@link #aggregate(Aggregate, Class)}, with a snapshot of its state every N events. */
    public <S, C, E> Builder aggregate(
        Aggregate<S, C, E> aggregate, Class<C> commandType, Snapshots<S> snapshots) {
      Objects.requireNonNull(aggregate, "aggregate");
      Objects.requireNonNull(commandType, "commandType");
      Objects.requireNonNull(snapshots, "snapshots");
      aggregates.add(processor -> processor.aggregate(aggregate, commandType, snapshots));
      return this;
    }

    /**
     * Projections and process managers this service runs over its event store, built once the
     * context is ready; the instances of the service share their partitions.
     */
    public Builder subscriptions(Function<ServiceContext, List<Subscription>> factory) {
      subscriptions.add(Objects.requireNonNull(factory, "factory"));
      return this;
    }

    /**
     * Scheduled tasks, built once the context is ready: each firing runs once across all the
     * service's instances (a lease with a fencing token per task, in the service's store).
     */
    public Builder tasks(Function<ServiceContext, List<Task>> factory) {
      tasks.add(Objects.requireNonNull(factory, "factory"));
      return this;
    }

    /** How long a call to another service may take; default 5 s. */
    public Builder callTimeout(Duration timeout) {
      this.callTimeout = nonNegative(timeout, "callTimeout");
      return this;
    }

    /** Whether SIGTERM (a JVM shutdown) stops the chassis in order; default true. */
    public Builder stopOnSigterm(boolean stop) {
      this.stopOnSigterm = stop;
      return this;
    }

    /**
     * Starts the service: telemetry, the HTTP server, then readiness.
     *
     * @throws ChassisStartException naming what could not be had
     * @throws IllegalStateException if no service name was given or found in the environment
     */
    public Chassis start() {
      ChassisSettings settings = settings();
      logFormat.apply(settings.service(), settings.instanceId());
      List<AutoCloseable> resources = new ArrayList<>();
      Optional<MeshMembership> membership = Optional.empty();
      Health health = new Health();
      ServiceTelemetry telemetry = null;
      try {
        membership = join(settings);
        membership.ifPresent(
            m -> {
              resources.add(m);
              health.register("identity", m.identityHealth());
            });
        telemetry = telemetry(settings, membership);
        Optional<ServiceConfig<?>> config =
            configuration(settings, membership, resources, health, telemetry);
        ServiceTelemetry metrics = telemetry;
        MeshClient mesh = meshClient();
        resources.add(mesh);
        Optional<Database> store = store(settings, resources);
        Optional<ReferenceDataOwner> owner = owner(store, resources, telemetry);
        Optional<ReferenceDataReplica> replica = replica(settings, resources, health, telemetry);
        Optional<EventStore> events = eventStore(settings, store, resources);
        events.ifPresent(e -> EventStoreMetrics.bind(e, metrics.registry()));
        Optional<CommandProcessor> processor = commandProcessor(settings, events, metrics);
        Optional<Commands> commands =
            Optional.ofNullable(commandTypes).map(types -> new Commands(mesh, types));
        ServiceContext context =
            new ServiceContext(
                settings,
                config,
                telemetry,
                health,
                replica,
                owner,
                mesh,
                new ServiceContext.EventSourcing(store, events, processor, commands));
        HttpRoutes all =
            health
                .routes()
                .and(
                    HttpRoutes.builder()
                        .get(
                            "/metrics",
                            request ->
                                new HttpResponse(
                                    200,
                                    "text/plain; version=0.0.4; charset=utf-8",
                                    Map.of(),
                                    metrics.exposition().getBytes(StandardCharsets.UTF_8)))
                        .build())
                .and(owner.map(ReferenceDataOwner::routes).orElse(HttpRoutes.builder().build()))
                .and(processor.map(CommandProcessor::routes).orElse(HttpRoutes.builder().build()))
                .and(serviceRoutes(context));
        startSubscriptions(settings, store, events, context, resources, telemetry);
        startScheduler(settings, store, context, resources, telemetry);
        ChassisServer server;
        try {
          server =
              ChassisServer.start(
                  new InetSocketAddress("127.0.0.1", settings.port()), all, telemetry);
        } catch (RuntimeException e) {
          throw new ChassisStartException(
              "cannot start " + settings.service() + ": its HTTP server: " + e.getMessage(), e);
        }
        resources.add(() -> server.stop(Duration.ZERO));
        Optional<ChassisGrpcServer> grpcServer = grpcServer(settings, context, telemetry);
        grpcServer.ifPresent(resources::add);
        InetSocketAddress address =
            Optional.ofNullable(advertise)
                .or(() -> environment.get(Environment.INBOUND).map(Builder::hostPort))
                .orElse(server.address());
        membership.ifPresent(m -> m.register(settings, address, leaseTtl, allLabels()));
        // The servers are the chassis's to stop now, in order.
        resources.remove(resources.size() - 1);
        if (grpcServer.isPresent()) {
          resources.remove(resources.size() - 1);
        }
        Chassis chassis =
            new Chassis(
                settings, telemetry, health, server, grpcServer, membership, context, resources);
        if (stopOnSigterm) {
          chassis.takeSignals();
        }
        health.started();
        log.info(
            "started service={} env={} instance={} http={} grpc={} identity={} registeredAt={}",
            settings.service(),
            settings.environment(),
            settings.instanceId(),
            server.address(),
            grpcServer.map(g -> (Object) g.address()).orElse("none"),
            chassis.identity().orElse("none (standalone)"),
            membership.isPresent() ? address : "not registered");
        return chassis;
      } catch (RuntimeException e) {
        closeAll(resources);
        if (telemetry != null) {
          telemetry.close();
        }
        throw e;
      }
    }

    private Optional<ChassisGrpcServer> grpcServer(
        ChassisSettings settings, ServiceContext context, ServiceTelemetry telemetry) {
      if (grpcServices.isEmpty()) {
        return Optional.empty();
      }
      List<Object> services = new ArrayList<>();
      grpcServices.forEach(factory -> services.addAll(factory.apply(context)));
      int port =
          Optional.ofNullable(grpcPort)
              .orElseGet(
                  () ->
                      environment
                          .get(Environment.GRPC_PORT)
                          .map(t -> portOf(Environment.GRPC_PORT, t))
                          .orElse(0));
      try {
        return Optional.of(
            ChassisGrpcServer.start(new InetSocketAddress("127.0.0.1", port), services, telemetry));
      } catch (RuntimeException e) {
        throw new ChassisStartException(
            "cannot start " + settings.service() + ": its gRPC server: " + e.getMessage(), e);
      }
    }

    private HttpRoutes serviceRoutes(ServiceContext context) {
      HttpRoutes all = HttpRoutes.builder().build();
      for (Function<ServiceContext, HttpRoutes> factory : routes) {
        all = all.and(factory.apply(context));
      }
      return all;
    }

    /** Enrols with the control plane, unless standalone. */
    private Optional<MeshMembership> join(ChassisSettings settings) {
      if (standalone) {
        return Optional.empty();
      }
      URI admin =
          Optional.ofNullable(controlPlane)
              .or(() -> environment.get(Environment.CONTROL_PLANE).map(URI::create))
              .orElseThrow(
                  () ->
                      new ChassisStartException(
                          "cannot start "
                              + settings.service()
                              + ": no control plane: set "
                              + Environment.CONTROL_PLANE
                              + " (or call controlPlane(...)), or call standalone() to run"
                              + " without a mesh"));
      Path bundle =
          Optional.ofNullable(trustBundle)
              .or(() -> environment.get(Environment.CA_FILE).map(Path::of))
              .orElseThrow(
                  () ->
                      new ChassisStartException(
                          "cannot start "
                              + settings.service()
                              + ": no trust bundle for the control plane at "
                              + admin
                              + ": set "
                              + Environment.CA_FILE
                              + " (or call controlPlane(uri, bundle))"));
      String token =
          Optional.ofNullable(joinToken)
              .or(() -> environment.get(Environment.JOIN_TOKEN))
              .orElseThrow(
                  () ->
                      new ChassisStartException(
                          "cannot start "
                              + settings.service()
                              + ": no join token to enrol with: set "
                              + Environment.JOIN_TOKEN
                              + " (or call joinToken(...)); an operator issues one with"
                              + " `firemesh token create --service "
                              + settings.service()
                              + " --env "
                              + settings.environment()
                              + "`"));
      return Optional.of(MeshMembership.enrol(settings, admin, bundle, token, controlPlaneWait));
    }

    private ServiceTelemetry telemetry(
        ChassisSettings settings, Optional<MeshMembership> membership) {
      Sampler sampler = new Sampler(traceSampleRatio, slowThreshold);
      Optional<OtlpHttpExporter> exporter = Optional.empty();
      if (!otlpEndpoints.isEmpty() || membership.isPresent()) {
        OtlpHttpExporter.Builder otlp =
            OtlpHttpExporter.builder(
                new Resource(settings.service(), settings.instanceId(), settings.environment()));
        otlpEndpoints.forEach(otlp::endpoint);
        membership.ifPresent(m -> otlp.endpoint(m.controlPlaneUri()).sslContext(m.tls()));
        exporter = Optional.of(otlp.build());
      }
      return new ServiceTelemetry(settings.service(), sampler, exporter);
    }

    private Optional<ServiceConfig<?>> configuration(
        ChassisSettings settings,
        Optional<MeshMembership> membership,
        List<AutoCloseable> resources,
        Health health,
        ServiceTelemetry telemetry) {
      if (configBinder == null) {
        return Optional.empty();
      }
      if (membership.isEmpty()) {
        ServiceConfig<?> defaults;
        try {
          defaults = ServiceConfig.ofDefaults(configBinder);
        } catch (ConfigUnavailableException e) {
          throw new ChassisStartException(
              "cannot start " + settings.service() + " standalone: " + e.getMessage(), e);
        }
        return Optional.of(defaults);
      }
      MeshMembership member = membership.get();
      ConfigSchemaPublication.publish(
          member.controlPlane(), configBinder.schema(settings.service()));
      String xdsAddress =
          Optional.ofNullable(xds)
              .or(() -> environment.get(Environment.XDS))
              .orElseThrow(
                  () ->
                      new ChassisStartException(
                          "cannot start "
                              + settings.service()
                              + ": no xDS address to take its configuration from: set "
                              + Environment.XDS
                              + " (or call xds(\"host:port\"))"));
      InetSocketAddress server = hostPort(xdsAddress);
      ConfigFeed<?> feed;
      try {
        feed =
            ConfigFeed.builder(configBinder)
                .server(server.getHostString(), server.getPort())
                .node(
                    new NodeIdentity(
                        settings.instanceId(),
                        settings.service(),
                        settings.region(),
                        settings.zone()))
                .environment(settings.environment())
                .tls(member.tls())
                .cacheDirectory(dataDirectory(settings))
                .startTimeout(configWait)
                .start();
      } catch (ConfigUnavailableException e) {
        throw new ChassisStartException(
            "cannot start " + settings.service() + ": its configuration: " + e.getMessage(), e);
      }
      resources.add(feed);
      ConfigMetrics.bind(feed, telemetry.registry());
      health.register("config", ConfigMetrics.health(feed));
      return Optional.of(feed.config());
    }

    private MeshClient meshClient() {
      Optional<InetSocketAddress> sidecar =
          Optional.ofNullable(outbound)
              .or(() -> environment.get(Environment.OUTBOUND).map(Builder::outboundAddress));
      return sidecar
          .map(address -> MeshClient.throughSidecar(address, callTimeout))
          .orElseGet(() -> MeshClient.direct(serviceAddresses, callTimeout));
    }

    private Optional<ReferenceDataOwner> owner(
        Optional<Database> store, List<AutoCloseable> resources, ServiceTelemetry telemetry) {
      if (owned.isEmpty()) {
        return Optional.empty();
      }
      ReferenceDataOwner owner =
          ReferenceDataOwner.builder(store.orElseThrow())
              .own(owned.toArray(ReferenceSet<?>[]::new))
              .build();
      resources.add(owner);
      ReferenceDataMetrics.bind(owner, telemetry.registry());
      return Optional.of(owner);
    }

    /**
     * The service's store, opened when something keeps state in it (reference data it owns, events,
     * subscriptions, tasks) or a URL was given.
     */
    private Optional<Database> store(ChassisSettings settings, List<AutoCloseable> resources) {
      Optional<String> url =
          Optional.ofNullable(storeUrl).or(() -> environment.get(Environment.STORE_URL));
      boolean needed =
          storeUrl != null
              || !owned.isEmpty()
              || eventTypes != null
              || !subscriptions.isEmpty()
              || !tasks.isEmpty();
      if (!needed) {
        return Optional.empty();
      }
      Database database;
      try {
        database =
            url.isPresent()
                ? ChassisStore.external(url.get())
                : ChassisStore.embedded(dataDirectory(settings).resolve("postgres"));
      } catch (RuntimeException e) {
        throw new ChassisStartException(
            "cannot start " + settings.service() + ": its store: " + e.getMessage(), e);
      }
      resources.add(database);
      return Optional.of(database);
    }

    private Optional<EventStore> eventStore(
        ChassisSettings settings, Optional<Database> store, List<AutoCloseable> resources) {
      if (eventTypes == null) {
        if (!aggregates.isEmpty() || !subscriptions.isEmpty()) {
          throw new ChassisStartException(
              "cannot start "
                  + settings.service()
                  + ": aggregates and subscriptions need its event types: call events(...)");
        }
        return Optional.empty();
      }
      EventStore events = EventStore.open(store.orElseThrow(), eventTypes);
      resources.add(events);
      return Optional.of(events);
    }

    private Optional<CommandProcessor> commandProcessor(
        ChassisSettings settings, Optional<EventStore> events, ServiceTelemetry telemetry) {
      if (aggregates.isEmpty()) {
        return Optional.empty();
      }
      if (commandTypes == null) {
        throw new ChassisStartException(
            "cannot start "
                + settings.service()
                + ": its aggregates need the command types: call commands(...)");
      }
      CommandProcessor.Builder builder =
          CommandProcessor.builder(events.orElseThrow(), commandTypes);
      aggregates.forEach(registration -> registration.accept(builder));
      return Optional.of(builder.build());
    }

    private void startSubscriptions(
        ChassisSettings settings,
        Optional<Database> store,
        Optional<EventStore> events,
        ServiceContext context,
        List<AutoCloseable> resources,
        ServiceTelemetry telemetry) {
      List<Subscription> all = new ArrayList<>();
      subscriptions.forEach(factory -> all.addAll(factory.apply(context)));
      if (all.isEmpty()) {
        return;
      }
      Subscriptions running;
      try {
        running =
            Subscriptions.start(
                store.orElseThrow(),
                events.orElseThrow().types(),
                settings.instanceId(),
                telemetry.registry(),
                all);
      } catch (RuntimeException e) {
        throw new ChassisStartException(
            "cannot start " + settings.service() + ": its subscriptions: " + e.getMessage(), e);
      }
      resources.add(running);
      context.attach(running);
      // Closed before the subscriptions (resources close in reverse): a request under way ends
      // while its subscription still runs.
      try {
        resources.add(OperatorRequests.start(store.orElseThrow(), running, settings.instanceId()));
      } catch (RuntimeException e) {
        throw new ChassisStartException(
            "cannot start "
                + settings.service()
                + ": listening for operator requests: "
                + e.getMessage(),
            e);
      }
    }

    private void startScheduler(
        ChassisSettings settings,
        Optional<Database> store,
        ServiceContext context,
        List<AutoCloseable> resources,
        ServiceTelemetry telemetry) {
      List<Task> all = new ArrayList<>();
      tasks.forEach(factory -> all.addAll(factory.apply(context)));
      if (all.isEmpty()) {
        return;
      }
      Scheduler scheduler;
      try {
        scheduler =
            Scheduler.builder(store.orElseThrow(), settings.instanceId())
                .meterRegistry(telemetry.registry())
                .tasks(all)
                .build()
                .start();
      } catch (RuntimeException e) {
        throw new ChassisStartException(
            "cannot start " + settings.service() + ": its scheduled tasks: " + e.getMessage(), e);
      }
      resources.add(scheduler);
      context.attach(scheduler);
    }

    private Optional<ReferenceDataReplica> replica(
        ChassisSettings settings,
        List<AutoCloseable> resources,
        Health health,
        ServiceTelemetry telemetry) {
      if (referenceOwner == null) {
        return Optional.empty();
      }
      ReferenceDataReplica.Builder builder;
      if (referenceOwnerAddress != null) {
        builder = ReferenceDataReplica.builder(referenceOwnerAddress);
      } else {
        InetSocketAddress sidecar =
            Optional.ofNullable(outbound)
                .or(() -> environment.get(Environment.OUTBOUND).map(Builder::outboundAddress))
                .orElseThrow(
                    () ->
                        new ChassisStartException(
                            "cannot start "
                                + settings.service()
                                + ": no way to the reference data owner '"
                                + referenceOwner
                                + "': set "
                                + Environment.OUTBOUND
                                + " (its sidecar's outbound listener) or call"
                                + " referenceDataAt(uri)"));
        builder =
            ReferenceDataReplica.builder(
                    URI.create("http://" + sidecar.getHostString() + ":" + sidecar.getPort()))
                .service(referenceOwner);
      }
      ReferenceDataReplica replica;
      try {
        replica =
            builder
                .sets(followed.toArray(ReferenceSet<?>[]::new))
                .startWait(referenceDataWait)
                .build()
                .start();
      } catch (ReferenceDataUnavailableException e) {
        throw new ChassisStartException(
            "cannot start " + settings.service() + ": its reference data: " + e.getMessage(), e);
      }
      resources.add(replica);
      ReferenceDataMetrics.bind(replica, referenceOwner, telemetry.registry());
      health.register("reference-data", ReferenceDataMetrics.health(replica));
      return Optional.of(replica);
    }

    /** {@code host:port} or {@code http://host:port}, as {@code firemesh run} writes it. */
    private static InetSocketAddress outboundAddress(String text) {
      String address = text.startsWith("http://") ? text.substring("http://".length()) : text;
      if (address.endsWith("/")) {
        address = address.substring(0, address.length() - 1);
      }
      return hostPort(address);
    }

    private Path dataDirectory(ChassisSettings settings) {
      return Optional.ofNullable(dataDirectory)
          .or(() -> environment.get(Environment.DATA_DIR).map(Path::of))
          .orElse(Path.of(".firemesh"))
          .toAbsolutePath();
    }

    private Map<String, String> allLabels() {
      Map<String, String> all = new LinkedHashMap<>();
      environment
          .get(Environment.LABELS)
          .ifPresent(
              text -> {
                for (String pair : text.split(",")) {
                  int eq = pair.indexOf('=');
                  if (eq > 0) {
                    all.put(pair.substring(0, eq).strip(), pair.substring(eq + 1).strip());
                  }
                }
              });
      all.putAll(labels);
      return all;
    }

    private static InetSocketAddress hostPort(String text) {
      int colon = text.lastIndexOf(':');
      if (colon <= 0) {
        throw new ChassisStartException("expected host:port, got '" + text + "'");
      }
      try {
        return new InetSocketAddress(
            text.substring(0, colon), Integer.parseInt(text.substring(colon + 1)));
      } catch (IllegalArgumentException e) {
        throw new ChassisStartException("expected host:port, got '" + text + "'");
      }
    }

    ChassisSettings settings() {
      String name =
          Optional.ofNullable(service)
              .or(() -> environment.get(Environment.SERVICE))
              .orElseThrow(
                  () ->
                      new IllegalStateException(
                          "no service name: call service(...) or set " + Environment.SERVICE));
      String envName =
          Optional.ofNullable(env).or(() -> environment.get(Environment.ENV)).orElse("dev");
      String id =
          Optional.ofNullable(instanceId)
              .or(() -> environment.get(Environment.INSTANCE_ID))
              .orElseGet(() -> name + "-" + host() + "-" + ProcessHandle.current().pid());
      int listen =
          Optional.ofNullable(port)
              .orElseGet(
                  () ->
                      environment
                          .get(Environment.APP_PORT)
                          .map(t -> portOf(Environment.APP_PORT, t))
                          .orElse(0));
      return new ChassisSettings(
          name,
          envName,
          id,
          Optional.ofNullable(region).or(() -> environment.get(Environment.REGION)).orElse(""),
          Optional.ofNullable(zone).or(() -> environment.get(Environment.ZONE)).orElse(""),
          listen,
          drainDelay,
          stopGrace);
    }

    private static int portOf(String variable, String text) {
      try {
        int value = Integer.parseInt(text);
        if (value >= 0 && value <= 65535) {
          return value;
        }
      } catch (NumberFormatException e) {
        // falls through to the message below
      }
      throw new IllegalStateException(
          variable + " must be a port number (0 to 65535), got '" + text + "'");
    }

    private static String host() {
      try {
        return java.net.InetAddress.getLocalHost().getHostName();
      } catch (java.net.UnknownHostException e) {
        return "localhost";
      }
    }

    private static Duration nonNegative(Duration value, String name) {
      if (value.isNegative()) {
        throw new IllegalArgumentException(name + " must not be negative: " + value);
      }
      return value;
    }

    private static void closeAll(List<AutoCloseable> resources) {
      for (AutoCloseable resource : resources.reversed()) {
        try {
          resource.close();
        } catch (Exception e) {
          log.warn("closing {} after a failed start failed: {}", resource, e.toString());
        }
      }
    }
  }
}
