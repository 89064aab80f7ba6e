package dev.firemesh.chassis;

import dev.firemesh.chassis.health.Health;
import dev.firemesh.chassis.http.ChassisServer;
import dev.firemesh.chassis.http.HttpResponse;
import dev.firemesh.chassis.http.HttpRoutes;
import dev.firemesh.chassis.telemetry.LogFormat;
import dev.firemesh.chassis.telemetry.ServiceTelemetry;
import dev.firemesh.telemetry.otlp.OtlpHttpExporter;
import dev.firemesh.telemetry.trace.Resource;
import dev.firemesh.telemetry.trace.Sampler;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
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
  private final List<AutoCloseable> closeLast;
  private final AtomicBoolean stopping = new AtomicBoolean();
  private final CountDownLatch stopped = new CountDownLatch(1);
  private final Thread shutdownHook;

  private Chassis(
      ChassisSettings settings,
      ServiceTelemetry telemetry,
      Health health,
      ChassisServer server,
      List<AutoCloseable> closeLast) {
    this.settings = settings;
    this.telemetry = telemetry;
    this.health = health;
    this.server = server;
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

  public Health health() {
    return health;
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
      sleep(settings.drainDelay());
      server.stop(settings.stopGrace());
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
    private HttpRoutes routes = HttpRoutes.builder().build();
    private double traceSampleRatio = Sampler.DEFAULT.ratio();
    private Duration slowThreshold = Sampler.DEFAULT.slowThreshold();
    private final List<URI> otlpEndpoints = new ArrayList<>();
    private LogFormat logFormat = LogFormat.JSON;
    private Duration drainDelay = Duration.ofSeconds(1);
    private Duration stopGrace = Duration.ofSeconds(10);
    private boolean stopOnSigterm = true;

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
      this.routes = this.routes.and(routes);
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

    /** An OTLP/HTTP traces endpoint ({@code http://collector:4318/v1/traces}); may repeat. */
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
      Sampler sampler = new Sampler(traceSampleRatio, slowThreshold);
      Optional<OtlpHttpExporter> exporter = Optional.empty();
      if (!otlpEndpoints.isEmpty()) {
        OtlpHttpExporter.Builder otlp =
            OtlpHttpExporter.builder(
                new Resource(settings.service(), settings.instanceId(), settings.environment()));
        otlpEndpoints.forEach(otlp::endpoint);
        exporter = Optional.of(otlp.build());
      }
      ServiceTelemetry telemetry = new ServiceTelemetry(settings.service(), sampler, exporter);
      List<AutoCloseable> resources = new ArrayList<>();
      Health health = new Health();
      ChassisServer server;
      try {
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
                                    java.util.Map.of(),
                                    telemetry
                                        .exposition()
                                        .getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                        .build())
                .and(routes);
        server =
            ChassisServer.start(
                new InetSocketAddress("127.0.0.1", settings.port()), all, telemetry);
      } catch (RuntimeException e) {
        telemetry.close();
        closeAll(resources);
        throw new ChassisStartException(
            "cannot start " + settings.service() + ": its HTTP server: " + e.getMessage(), e);
      }
      Chassis chassis = new Chassis(settings, telemetry, health, server, resources);
      if (stopOnSigterm) {
        chassis.takeSignals();
      }
      health.started();
      log.info(
          "started service={} env={} instance={} http={}",
          settings.service(),
          settings.environment(),
          settings.instanceId(),
          server.address());
      return chassis;
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
                  () -> environment.get(Environment.APP_PORT).map(Builder::portOf).orElse(0));
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

    private static int portOf(String text) {
      try {
        int value = Integer.parseInt(text);
        if (value >= 0 && value <= 65535) {
          return value;
        }
      } catch (NumberFormatException e) {
        // falls through to the message below
      }
      throw new IllegalStateException(
          Environment.APP_PORT + " must be a port number (0 to 65535), got '" + text + "'");
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
