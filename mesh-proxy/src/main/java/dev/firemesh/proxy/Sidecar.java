package dev.firemesh.proxy;

import dev.firemesh.identity.WorkloadCredentials;
import dev.firemesh.proxy.admin.AdminExtension;
import dev.firemesh.proxy.admin.AdminHandler;
import dev.firemesh.proxy.admin.AdminMetric;
import dev.firemesh.proxy.authz.AuthorizationLog;
import dev.firemesh.proxy.forward.Drain;
import dev.firemesh.proxy.forward.ResendPolicy;
import dev.firemesh.proxy.health.HealthChecker;
import dev.firemesh.proxy.health.HealthEvaluation;
import dev.firemesh.proxy.http.FlowControlWindows;
import dev.firemesh.proxy.http.HttpLimits;
import dev.firemesh.proxy.listener.HttpListener;
import dev.firemesh.proxy.listener.ListenerSettings;
import dev.firemesh.proxy.listener.UpstreamDefaults;
import dev.firemesh.proxy.stats.EventLoopLag;
import dev.firemesh.proxy.stats.Footprint;
import dev.firemesh.proxy.stats.ProxyStats;
import dev.firemesh.proxy.tcp.AppPorts;
import dev.firemesh.proxy.tcp.InboundTunnels;
import dev.firemesh.proxy.tcp.TcpUpstream;
import dev.firemesh.proxy.tcp.TcpUpstreamListener;
import dev.firemesh.proxy.tcp.TunnelSettings;
import dev.firemesh.proxy.telemetry.AccessLog;
import dev.firemesh.proxy.telemetry.AccessLogSettings;
import dev.firemesh.proxy.telemetry.ExchangeObserver;
import dev.firemesh.proxy.telemetry.Tracing;
import dev.firemesh.proxy.tls.InboundTls;
import dev.firemesh.proxy.tls.MeshTls;
import dev.firemesh.proxy.tls.TlsProtocols;
import dev.firemesh.proxy.tls.TlsProvider;
import dev.firemesh.proxy.tls.UpstreamTls;
import dev.firemesh.proxy.upstream.UpstreamPools;
import dev.firemesh.telemetry.metrics.GoldenMetrics;
import dev.firemesh.telemetry.otlp.ExportCounts;
import dev.firemesh.traffic.authz.Authorizer;
import dev.firemesh.traffic.config.DataPlaneConfig;
import dev.firemesh.traffic.config.InboundPolicy.MtlsMode;
import dev.firemesh.traffic.ratelimit.RateLimiter;
import dev.firemesh.traffic.route.Router;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A sidecar proxy: the outbound listener (the local application's HTTP proxy; the service is named
 * by an absolute URI, the Host header or HTTP/2's {@code :authority}), the inbound listener (peer
 * sidecars connect here; it forwards to the local application), and the admin listener, all on one
 * Netty event loop group. Both proxy listeners take HTTP/1.1 and HTTP/2 with prior knowledge (h2c)
 * on the same port; gRPC is HTTP/2.
 *
 * <pre>{@code
 * Sidecar sidecar = Sidecar.builder().router(router).localAppPort(8080).build().start();
 * sidecar.apply(config);   // from xDS; /ready answers 200 from now on
 * ...
 * sidecar.close();
 * }</pre>
 *
 * <p>Built once with its settings fixed; {@link #start()} binds, {@link #close()} stops. {@link
 * #apply} may be called from any thread, any number of times.
 */
public final class Sidecar implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(Sidecar.class);
  private static final int ADMIN_MAX_REQUEST_BYTES = 16 * 1024;
  private static final int MAX_TUNNEL_CONNECT_ATTEMPTS = 3;
  private static final long DRAIN_POLL_MILLIS = 20;

  private final Router router;
  private final String service;
  private final String localAppHost;
  private final AppPorts appPorts;
  private final List<TcpUpstream> tcpUpstreams;
  private final Duration tcpIdleTimeout;
  private final Duration connectTimeout;
  private final String listenHost;
  private final String inboundHost;
  private final int outboundPort;
  private final int inboundPort;
  private final int adminPort;
  private final int eventLoopThreads;
  private final boolean nativeTransport;
  private final ByteBufAllocator allocator;
  private final ListenerSettings listenerSettings;
  private final int maxIdlePerUpstream;
  private final FlowControlWindows windows;
  private final AdminExtension adminExtension;
  private final MeshTls tls;
  private final AtomicBoolean warnedNoCredentials = new AtomicBoolean();
  private final Optional<GoldenMetrics> goldenMetrics;
  private final Optional<AccessLogSettings> accessLogSettings;
  private final Tracing tracing;
  private final DeferredObserver accessLogObserver = new DeferredObserver();
  private AccessLog accessLog;

  private final ProxyStats stats = new ProxyStats();
  private final RateLimiter rateLimits = new RateLimiter();
  private final Authorizer authorization = new Authorizer();
  private final AtomicReference<DataPlaneConfig> applied = new AtomicReference<>();
  private final Drain drain = new Drain();
  private final ChannelGroup connections = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
  // Not drained: a scraper's kept-alive connection (the control plane's collector reads every few
  // seconds) would hold every drain to its timeout, and the admin port answers until the end.
  private final ChannelGroup adminConnections =
      new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);

  private EventLoopGroup group;
  private EventLoopLag lag;
  private volatile HealthChecker healthChecker;
  private HealthEvaluation healthEvaluation;
  private ExecutorService reports;
  private Transport transport;
  private Channel outbound;
  private Channel inbound;
  private Channel admin;
  private final Map<TcpUpstream, Channel> upstreamListeners = new LinkedHashMap<>();
  private final List<AutoCloseable> attached = new ArrayList<>();
  private boolean started;

  private Sidecar(Builder b) {
    this.router = Objects.requireNonNull(b.router, "router is required");
    if (b.localAppPort == 0 && b.namedAppPorts.isEmpty() && !b.outboundOnly) {
      throw new IllegalArgumentException("localAppPort or a named appPort is required");
    }
    this.service = b.service;
    this.localAppHost = b.localAppHost;
    this.appPorts = new AppPorts(b.localAppPort, b.namedAppPorts);
    this.tcpUpstreams = List.copyOf(b.tcpUpstreams);
    this.tcpIdleTimeout = b.tcpIdleTimeout;
    this.connectTimeout = b.connectTimeout;
    this.listenHost = b.listenHost;
    this.inboundHost = b.inboundHost;
    this.outboundPort = b.outboundPort;
    this.inboundPort = b.inboundPort;
    this.adminPort = b.adminPort;
    this.eventLoopThreads = b.eventLoopThreads;
    this.nativeTransport = b.nativeTransport;
    this.allocator = b.allocator;
    this.maxIdlePerUpstream = b.maxIdlePerUpstream;
    this.goldenMetrics = b.goldenMetrics ? Optional.of(new GoldenMetrics()) : Optional.empty();
    this.accessLogSettings = Optional.ofNullable(b.accessLog);
    List<ExchangeObserver> observers = new ArrayList<>();
    goldenMetrics.ifPresent(metrics -> observers.add(record -> record.countIn(metrics)));
    if (b.accessLog != null) {
      observers.add(accessLogObserver);
    }
    this.tracing = b.tracing;
    if (tracing.on()) {
      observers.add(tracing);
    }
    observers.addAll(b.observers);
    this.listenerSettings =
        new ListenerSettings(
            b.limits,
            b.viaName,
            b.resendBufferBytes,
            b.resendPolicy,
            b.callerIdleTimeout,
            new UpstreamDefaults(b.connectTimeout, b.upstreamIdleTimeout),
            b.windows,
            drain,
            ExchangeObserver.all(observers),
            tracing);
    this.windows = b.windows;
    this.adminExtension = b.adminExtension;
    this.tls =
        new MeshTls(
            b.tlsProtocols,
            b.tlsProvider != null
                ? b.tlsProvider.label()
                : System.getProperty(TlsProvider.PROPERTY, ""),
            java.time.InstantSource.system());
    if (b.credentials != null) {
      tls.update(b.credentials);
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Binds the three listeners; throws {@link ListenerBindException} if one cannot listen. */
  public synchronized Sidecar start() {
    if (started) {
      throw new IllegalStateException("this sidecar was already started");
    }
    started = true;
    if (accessLogSettings.isPresent()) {
      accessLog =
          AccessLog.start(accessLogSettings.get()); // a file that cannot be opened: fail now
      accessLogObserver.set(accessLog);
    }
    transport = Transport.select(nativeTransport);
    group =
        new MultiThreadIoEventLoopGroup(
            eventLoopThreads,
            new DefaultThreadFactory("firemesh-proxy"),
            transport.ioHandlerFactory());
    lag = EventLoopLag.watch(group);
    reports = Executors.newVirtualThreadPerTaskExecutor(); // the admin's stats pages, off the loops
    // Endpoint health has one writer: one loop runs the checks and outlier detection's evaluation.
    io.netty.channel.EventLoop healthLoop = group.next();
    healthEvaluation = HealthEvaluation.start(router, healthLoop);
    UpstreamTls upstreamTls = new UpstreamTls(tls);
    HealthChecker checker =
        new HealthChecker(router, healthLoop, transport.channelType(), allocator, upstreamTls);
    healthChecker = checker;
    config().ifPresent(checker::apply);
    try {
      UpstreamPools pools =
          UpstreamPools.create(
              group,
              transport.channelType(),
              allocator,
              stats,
              maxIdlePerUpstream,
              windows,
              upstreamTls);
      outbound =
          bind(
              "outbound",
              listenHost,
              outboundPort,
              HttpListener.outbound(router, listenerSettings, pools, stats, service));
      TunnelSettings tunnels =
          new TunnelSettings(
              transport.channelType(),
              connectTimeout,
              tcpIdleTimeout,
              MAX_TUNNEL_CONNECT_ATTEMPTS,
              stats,
              upstreamTls);
      inbound =
          bind(
              "inbound",
              inboundHost,
              inboundPort,
              HttpListener.inbound(
                  new InboundTunnels(
                      service,
                      localAppHost,
                      appPorts,
                      this::config,
                      tunnels,
                      authorization,
                      new AuthorizationLog()),
                  rateLimits,
                  listenerSettings,
                  pools,
                  stats,
                  () -> new InboundTls(tls, this::inboundMode, warnedNoCredentials)));
      for (TcpUpstream upstream : tcpUpstreams) {
        upstreamListeners.put(
            upstream,
            bind(
                "upstream " + upstream.authority(),
                listenHost,
                upstream.listenPort(),
                new TcpUpstreamListener(upstream, router, tunnels)));
      }
      admin = bind("admin", listenHost, adminPort, adminPipeline(), adminConnections);
    } catch (RuntimeException e) {
      close();
      throw e;
    }
    log.info(
        "sidecar listening outbound={} inbound={} admin={} upstreams={} app={} transport={}"
            + " eventLoops={} mtls={}",
        outboundAddress(),
        inboundAddress(),
        adminAddress(),
        upstreamAddresses(),
        appPorts,
        transport.name(),
        eventLoopThreads,
        tls.current()
            .map(
                c -> "provider=" + c.provider().label() + " identity=" + c.credentials().identity())
            .orElse("none (no credentials: plaintext only)"));
    return this;
  }

  private Channel bind(String name, String host, int port, ChannelHandler pipeline) {
    return bind(name, host, port, pipeline, connections);
  }

  private Channel bind(
      String name, String host, int port, ChannelHandler pipeline, ChannelGroup tracked) {
    InetSocketAddress address = new InetSocketAddress(host, port);
    ChannelFuture bound =
        new ServerBootstrap()
            .group(group)
            .channel(transport.serverChannelType())
            .option(ChannelOption.ALLOCATOR, allocator)
            .option(ChannelOption.SO_REUSEADDR, true)
            .childOption(ChannelOption.ALLOCATOR, allocator)
            .childOption(ChannelOption.TCP_NODELAY, true)
            // a tunnel reads nothing from the app until it is up; HTTP turns reads on itself
            .childOption(ChannelOption.AUTO_READ, !(pipeline instanceof TcpUpstreamListener))
            .childHandler(
                new ChannelInitializer<>() {
                  @Override
                  protected void initChannel(Channel channel) {
                    tracked.add(channel); // connections, data plane ones: what a drain waits for
                    channel.pipeline().addLast(pipeline);
                  }
                })
            .bind(address)
            .awaitUninterruptibly();
    if (!bound.isSuccess()) {
      throw new ListenerBindException(name, address, bound.cause());
    }
    return bound.channel();
  }

  private ChannelHandler adminPipeline() {
    AdminHandler handler =
        new AdminHandler(
            this::config,
            router,
            this::draining,
            this::counters,
            this::footprint,
            reports,
            Optional.of(stats.localApp()),
            withTlsMetrics(adminExtension),
            tls::describe);
    return new ChannelInitializer<>() {
      @Override
      protected void initChannel(Channel channel) {
        channel
            .pipeline()
            .addLast(
                new HttpServerCodec(
                    new HttpDecoderConfig()
                        .setMaxInitialLineLength(4096)
                        .setMaxHeaderSize(ADMIN_MAX_REQUEST_BYTES)))
            .addLast(new HttpObjectAggregator(ADMIN_MAX_REQUEST_BYTES))
            .addLast(handler);
      }
    };
  }

  /** The extension's pages and metrics, after the SVID's expiry and the TLS provider. */
  private AdminExtension withTlsMetrics(AdminExtension extension) {
    return new AdminExtension() {
      @Override
      public Map<String, java.util.function.Supplier<String>> jsonPages() {
        return extension.jsonPages();
      }

      @Override
      public List<AdminMetric> metrics() {
        List<AdminMetric> metrics = new ArrayList<>();
        tls.current()
            .ifPresent(
                c ->
                    metrics.add(
                        AdminMetric.gauge(
                            "tls.provider." + c.provider().label(),
                            "The TLS implementation of mesh hops (openssl: BoringSSL; jdk).",
                            1)));
        tls.secondsToExpiry()
            .ifPresent(
                seconds ->
                    metrics.add(
                        AdminMetric.gauge(
                            "tls.svid.expiry_seconds",
                            "Seconds until this sidecar's SVID expires; negative once it has.",
                            seconds)));
        metrics.addAll(extension.metrics());
        return metrics;
      }

      @Override
      public String exposition() {
        return goldenMetrics.map(GoldenMetrics::exposition).orElse("") + extension.exposition();
      }
    };
  }

  /**
   * Makes {@code credentials} the ones new mTLS handshakes use, inbound and outbound (any thread,
   * any time: renewal). Connections already open keep theirs, so none is dropped.
   *
   * @throws IllegalArgumentException if the SVID does not verify against its own trust bundle; the
   *     previous credentials stay in force
   */
  public void updateCredentials(WorkloadCredentials credentials) {
    tls.update(credentials);
  }

  /** The sidecar's mTLS state: credentials, contexts, handshake counters. */
  public MeshTls tls() {
    return tls;
  }

  /** The mTLS mode of this sidecar's service's inbound policy; permissive before any config. */
  private MtlsMode inboundMode() {
    DataPlaneConfig config = applied.get();
    return config == null ? MtlsMode.PERMISSIVE : config.inbound(service).mtls();
  }

  /**
   * Makes {@code config} the one every request routed from now on sees; the admin listener reports
   * ready from the first call on.
   */
  public void apply(DataPlaneConfig config) {
    Objects.requireNonNull(config, "config");
    router.update(config);
    rateLimits.update(config.inbound(service));
    authorization.update(config.inbound(service).authorization());
    applied.set(config);
    HealthChecker checker = healthChecker;
    if (checker != null) {
      checker.apply(config); // probes follow the endpoints
    }
  }

  /** The configuration in force, once one has been applied. */
  public Optional<DataPlaneConfig> config() {
    return Optional.ofNullable(applied.get());
  }

  public boolean ready() {
    return applied.get() != null;
  }

  /** Whether {@link #drain} has begun: callers are being told to go elsewhere. */
  public boolean draining() {
    return drain.announced();
  }

  public ProxyStats stats() {
    return stats;
  }

  /**
   * The sidecar's counters, then each rate limit rule's ({@code ratelimit.<rule>.allowed} and
   * {@code .limited}) and each authorization policy's ({@code authz.<policy>.allow}, {@code .deny},
   * {@code .dry_run_deny}), by their {@code /stats} names.
   */
  public Map<String, Long> counters() {
    Map<String, Long> all = new LinkedHashMap<>(stats.snapshot());
    all.putAll(tls.stats().snapshot());
    rateLimits
        .counters()
        .forEach(
            (rule, counts) -> {
              all.put("ratelimit." + rule + ".allowed", counts.allowed());
              all.put("ratelimit." + rule + ".limited", counts.limited());
            });
    authorization
        .counters()
        .forEach(
            (policy, counts) -> {
              all.put("authz." + policy + ".allow", counts.allowed());
              all.put("authz." + policy + ".deny", counts.denied());
              all.put("authz." + policy + ".dry_run_deny", counts.dryRunDenied());
            });
    goldenMetrics.ifPresent(metrics -> all.put("metrics.folded", metrics.folded()));
    if (tracing.on()) {
      ExportCounts spans = tracing.exported();
      all.put("spans.exported", spans.exported());
      all.put("spans.dropped", spans.dropped());
      all.put("spans.failed", spans.failed());
    }
    AccessLog log = accessLogObserver.current();
    if (log != null) {
      all.put("access_log.dropped", log.dropped());
      all.put("access_log.written", log.written());
    }
    return all;
  }

  /** The counters, then the process's footprint, as {@code /stats} shows them. */
  public Map<String, Long> statsWithGauges() {
    Map<String, Long> all = counters();
    all.putAll(footprint().asStats());
    return all;
  }

  /**
   * What the process costs now: memory, GC, threads, event-loop lag. Reads /proc: not on a loop.
   */
  public Footprint footprint() {
    EventLoopLag watching;
    synchronized (this) {
      if (lag == null) {
        throw new IllegalStateException("the sidecar is not started");
      }
      watching = lag;
    }
    return Footprint.measure(allocator, watching);
  }

  public InetSocketAddress outboundAddress() {
    return address(outbound);
  }

  public InetSocketAddress inboundAddress() {
    return address(inbound);
  }

  public InetSocketAddress adminAddress() {
    return address(admin);
  }

  private synchronized InetSocketAddress address(Channel channel) {
    if (channel == null) {
      throw new IllegalStateException("the sidecar is not listening; call start() first");
    }
    return (InetSocketAddress) channel.localAddress();
  }

  /** Where each {@link TcpUpstream} listens, in the order they were configured. */
  public synchronized Map<TcpUpstream, InetSocketAddress> upstreamAddresses() {
    Map<TcpUpstream, InetSocketAddress> addresses = new LinkedHashMap<>();
    upstreamListeners.forEach((upstream, channel) -> addresses.put(upstream, address(channel)));
    return addresses;
  }

  /**
   * Shuts down gracefully, for an instance leaving the mesh (deregister it first): for {@code
   * delay} it keeps accepting and serving while telling callers to go elsewhere (HTTP/1.1 responses
   * carry {@code Connection: close}, HTTP/2 connections get GOAWAY), so that callers' sidecars
   * learn from the control plane that the endpoint is gone. Then it stops accepting, closes idle
   * connections, and waits up to {@code timeout} for requests in flight and TCP tunnels to end;
   * whatever is left then is cut, and the sidecar is closed. Returns when that is done. Blocks the
   * calling thread, never an event loop.
   */
  public void drain(Duration delay, Duration timeout) throws InterruptedException {
    drain(delay, timeout, () -> {});
  }

  /**
   * The same, running {@code beforeClosing} on the calling thread once {@code delay} is over and
   * before the listeners close: {@code firemesh run} stops its app there, so the app's last
   * requests are still served and its own calls while it shuts down still reach the mesh.
   */
  public void drain(Duration delay, Duration timeout, Runnable beforeClosing)
      throws InterruptedException {
    if (delay.isNegative() || timeout.isNegative()) {
      throw new IllegalArgumentException("drain delay and timeout must not be negative");
    }
    enter(Drain.Phase.ANNOUNCED);
    Thread.sleep(delay);
    beforeClosing.run();
    synchronized (this) {
      List<Channel> listeners = new ArrayList<>(upstreamListeners.values());
      listeners.add(outbound);
      listeners.add(inbound);
      for (Channel listener : listeners) {
        if (listener != null) {
          listener.close().awaitUninterruptibly(); // refused from now on
        }
      }
    }
    enter(Drain.Phase.CLOSING);
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!connections.isEmpty() && System.nanoTime() - deadline < 0) {
      Thread.sleep(DRAIN_POLL_MILLIS);
    }
    int left = connections.size();
    if (left > 0) {
      log.warn("drain timed out after {}; cutting {} connections", timeout, left);
    } else {
      log.info("drained: every connection ended");
    }
    close();
  }

  private void enter(Drain.Phase phase) {
    drain.enter(phase);
    for (Channel connection : connections) {
      connection.pipeline().fireUserEventTriggered(phase);
    }
  }

  /**
   * The sidecar's event loops, for a client that should run on them rather than on threads of its
   * own (the xDS client: one thread, one selector and their memory fewer). Such a client must be
   * {@linkplain #attach attached}, so that it ends before the loops stop.
   */
  public synchronized EventLoopGroup eventLoops() {
    if (group == null) {
      throw new IllegalStateException("the sidecar is not started");
    }
    return group;
  }

  /** The client socket type for {@link #eventLoops()} (epoll or NIO). */
  public synchronized Class<? extends Channel> channelType() {
    if (transport == null) {
      throw new IllegalStateException("the sidecar is not started");
    }
    return transport.channelType();
  }

  /** Closes {@code client} when the sidecar closes (or drains), before its event loops stop. */
  public synchronized void attach(AutoCloseable client) {
    attached.add(client);
  }

  /** Which socket implementation is in use: {@code epoll} or {@code nio}. */
  public synchronized String transport() {
    if (transport == null) {
      throw new IllegalStateException("the sidecar is not started");
    }
    return transport.name();
  }

  /** Stops listening and closes every connection; requests in flight are cut. */
  @Override
  public synchronized void close() {
    List<Channel> listeners = new ArrayList<>(upstreamListeners.values());
    listeners.addAll(Arrays.asList(outbound, inbound, admin));
    for (Channel channel : listeners) {
      if (channel != null) {
        channel.close().awaitUninterruptibly();
      }
    }
    connections.close().awaitUninterruptibly();
    adminConnections.close().awaitUninterruptibly();
    outbound = null;
    inbound = null;
    admin = null;
    for (AutoCloseable client : attached) {
      try {
        client.close();
      } catch (Exception e) {
        log.warn("closing {} failed: {}", client, e.toString());
      }
    }
    attached.clear();
    if (healthEvaluation != null) {
      healthEvaluation.close();
      healthChecker.close();
      healthEvaluation = null;
      healthChecker = null;
    }
    if (reports != null) {
      lag.close();
      reports.shutdownNow();
    }
    if (group != null) {
      group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly();
      group = null;
    }
    if (accessLog != null) {
      accessLog.close(); // after the loops: the last requests' lines are in
      accessLog = null;
    }
    tracing.close(); // likewise: the last spans are queued; sent within the exporter's bound
  }

  /** The golden metrics of the edges this sidecar served, if they are kept (the default). */
  public Optional<GoldenMetrics> goldenMetrics() {
    return goldenMetrics;
  }

  /** Settings of a {@link Sidecar}; only {@link #router} and {@link #localAppPort} are required. */
  public static final class Builder {
    private Router router;
    private String service = "";
    private String localAppHost = "127.0.0.1";
    private int localAppPort;
    private final Map<String, Integer> namedAppPorts = new LinkedHashMap<>();
    private final List<TcpUpstream> tcpUpstreams = new ArrayList<>();
    private Duration tcpIdleTimeout = Duration.ofHours(1);
    private String listenHost = "127.0.0.1";
    private String inboundHost = "127.0.0.1";
    private int outboundPort = 15001;
    private int inboundPort = 15006;
    private int adminPort = 15000;
    private int eventLoopThreads = 1;
    private boolean nativeTransport = true;
    private ByteBufAllocator allocator = PooledByteBufAllocator.DEFAULT;
    private HttpLimits limits = HttpLimits.DEFAULT;
    private String viaName = "firemesh";
    private int resendBufferBytes = 64 * 1024;
    private ResendPolicy resendPolicy = ResendPolicy.IDEMPOTENT_METHODS;
    private Duration callerIdleTimeout = Duration.ofMinutes(2);
    private Duration connectTimeout = Duration.ofSeconds(1);
    private Duration upstreamIdleTimeout = Duration.ofSeconds(30);
    private int maxIdlePerUpstream = 32;
    private FlowControlWindows windows = FlowControlWindows.DEFAULT;
    private AdminExtension adminExtension = AdminExtension.NONE;
    private boolean outboundOnly;
    private WorkloadCredentials credentials;
    private TlsProtocols tlsProtocols = TlsProtocols.TLS_1_3;
    private TlsProvider tlsProvider;
    private boolean goldenMetrics = true;
    private AccessLogSettings accessLog;
    private Tracing tracing = Tracing.OFF;
    private final List<ExchangeObserver> observers = new ArrayList<>();

    private Builder() {}

    /** Routes the outbound listener's requests (the traffic engine's router). Required. */
    public Builder router(Router router) {
      this.router = Objects.requireNonNull(router, "router");
      return this;
    }

    /**
     * The local application's HTTP port on 127.0.0.1, where the inbound listener forwards requests.
     * This or a named {@link #appPort} is required.
     */
    public Builder localAppPort(int port) {
      this.localAppPort = port(port, "localAppPort", false);
      return this;
    }

    /**
     * The local application's port for the service port named {@code portName}: where tunnels to
     * that tcp port go, and (for an HTTP, HTTP/2 or gRPC port, when no {@link #localAppPort} is
     * given) where requests go.
     */
    public Builder appPort(String portName, int port) {
      if (portName.isEmpty()) {
        throw new IllegalArgumentException("an app port's name must not be empty");
      }
      namedAppPorts.put(portName, port(port, "appPort " + portName, false));
      return this;
    }

    /**
     * The service this instance belongs to: the inbound listener accepts tunnels to its tcp ports
     * only. Without it, every tunnel is refused.
     */
    public Builder service(String service) {
      this.service = Objects.requireNonNull(service, "service");
      return this;
    }

    /**
     * A tcp service port the local application reaches on a loopback port of its own (repeatable):
     * each connection there is tunnelled to an instance of the service.
     */
    public Builder tcpUpstream(TcpUpstream upstream) {
      this.tcpUpstreams.add(Objects.requireNonNull(upstream, "upstream"));
      return this;
    }

    /** A TCP tunnel with no byte either way for this long is closed; 1 h by default. */
    public Builder tcpIdleTimeout(Duration timeout) {
      this.tcpIdleTimeout = positive(timeout, "tcpIdleTimeout");
      return this;
    }

    /** The local application's host, {@code 127.0.0.1} by default. */
    public Builder localAppHost(String host) {
      this.localAppHost = Objects.requireNonNull(host, "host");
      return this;
    }

    /** Where the outbound and admin listeners listen, {@code 127.0.0.1} by default. */
    public Builder listenHost(String host) {
      this.listenHost = Objects.requireNonNull(host, "host");
      return this;
    }

    /** Where the inbound listener listens, {@code 127.0.0.1} by default. */
    public Builder inboundHost(String host) {
      this.inboundHost = Objects.requireNonNull(host, "host");
      return this;
    }

    /** 15001 by default; 0 picks a free port. */
    public Builder outboundPort(int port) {
      this.outboundPort = port(port, "outboundPort", true);
      return this;
    }

    /** 15006 by default; 0 picks a free port. */
    public Builder inboundPort(int port) {
      this.inboundPort = port(port, "inboundPort", true);
      return this;
    }

    /** 15000 by default; 0 picks a free port. */
    public Builder adminPort(int port) {
      this.adminPort = port(port, "adminPort", true);
      return this;
    }

    /** Event loop threads, 1 by default: a sidecar is typically pinned to one CPU. */
    public Builder eventLoopThreads(int threads) {
      if (threads < 1) {
        throw new IllegalArgumentException("eventLoopThreads must be at least 1: " + threads);
      }
      this.eventLoopThreads = threads;
      return this;
    }

    /** Use native epoll when available (the default), or always NIO. */
    public Builder nativeTransport(boolean nativeTransport) {
      this.nativeTransport = nativeTransport;
      return this;
    }

    /** The buffer allocator, Netty's shared pooled allocator by default. */
    public Builder allocator(ByteBufAllocator allocator) {
      this.allocator = Objects.requireNonNull(allocator, "allocator");
      return this;
    }

    /** Request head limits; {@link HttpLimits#DEFAULT} by default. */
    public Builder limits(HttpLimits limits) {
      this.limits = Objects.requireNonNull(limits, "limits");
      return this;
    }

    /** The pseudonym this sidecar uses in {@code Via}, {@code firemesh} by default. */
    public Builder viaName(String name) {
      if (name.isBlank() || !name.chars().allMatch(c -> c > 0x20 && c < 0x7f && c != ',')) {
        throw new IllegalArgumentException("viaName must be a token without spaces: " + name);
      }
      this.viaName = name;
      return this;
    }

    /**
     * Request bodies up to this size stay resendable until the response starts (64 KiB by default);
     * the copies share the buffers already read, they are not copied.
     */
    public Builder resendBufferBytes(int bytes) {
      if (bytes < 0) {
        throw new IllegalArgumentException("resendBufferBytes must not be negative: " + bytes);
      }
      this.resendBufferBytes = bytes;
      return this;
    }

    /**
     * Which requests a keep-alive race may resend; by default {@link
     * ResendPolicy#IDEMPOTENT_METHODS}: in trading a repeated POST can place an order twice.
     */
    public Builder resendPolicy(ResendPolicy policy) {
      this.resendPolicy = Objects.requireNonNull(policy, "policy");
      return this;
    }

    /** A caller connection idle this long (no request in flight) is closed; 2 min by default. */
    public Builder callerIdleTimeout(Duration timeout) {
      this.callerIdleTimeout = positive(timeout, "callerIdleTimeout");
      return this;
    }

    /**
     * The connect timeout to the local application, and to clusters whose configuration gives none;
     * 1 s by default.
     */
    public Builder connectTimeout(Duration timeout) {
      this.connectTimeout = positive(timeout, "connectTimeout");
      return this;
    }

    /**
     * How long an idle upstream connection is kept, for the local application and clusters whose
     * configuration gives none; 30 s by default.
     */
    public Builder upstreamIdleTimeout(Duration timeout) {
      this.upstreamIdleTimeout = positive(timeout, "upstreamIdleTimeout");
      return this;
    }

    /** Idle connections kept per upstream address and event loop, 32 by default. */
    public Builder maxIdlePerUpstream(int connections) {
      if (connections < 0) {
        throw new IllegalArgumentException("maxIdlePerUpstream must not be negative");
      }
      this.maxIdlePerUpstream = connections;
      return this;
    }

    /**
     * The HTTP/2 receive windows granted to callers and upstreams; {@link
     * FlowControlWindows#DEFAULT} by default. They bound what the sidecar buffers per stream and
     * per connection.
     */
    public Builder http2Windows(FlowControlWindows windows) {
      this.windows = Objects.requireNonNull(windows, "windows");
      return this;
    }

    /** Pages and metrics shown on the admin listener besides the sidecar's own. */
    public Builder adminExtension(AdminExtension extension) {
      this.adminExtension = Objects.requireNonNull(extension, "extension");
      return this;
    }

    /**
     * A sidecar for an app that serves nothing (a batch job, a consumer), so no app port is given:
     * the outbound listener and tcp upstreams serve the app as usual, the inbound listener answers
     * 503 (HTTP) or refuses (tunnels). Such an instance is never registered, so nobody calls it.
     */
    public Builder outboundOnly() {
      this.outboundOnly = true;
      return this;
    }

    /**
     * This workload's SVID, key and trust bundle: the inbound listener then serves mTLS (per the
     * service's mode) and endpoints with an identity are reached over mTLS. Without them the
     * sidecar speaks plaintext only. Renew with {@link Sidecar#updateCredentials}.
     */
    public Builder credentials(WorkloadCredentials credentials) {
      this.credentials = Objects.requireNonNull(credentials, "credentials");
      return this;
    }

    /**
     * TLS versions for mesh hops: {@link TlsProtocols#TLS_1_3} by default; {@link
     * TlsProtocols#TLS_1_2_AND_1_3} adds TLS 1.2 with ECDHE and AEAD suites only.
     */
    public Builder tlsProtocols(TlsProtocols protocols) {
      this.tlsProtocols = Objects.requireNonNull(protocols, "protocols");
      return this;
    }

    /**
     * The TLS implementation, in place of {@code -D}{@value TlsProvider#PROPERTY} or the automatic
     * choice (OpenSSL when it loads, else the JDK).
     */
    public Builder tlsProvider(TlsProvider provider) {
      this.tlsProvider = Objects.requireNonNull(provider, "provider");
      return this;
    }

    /**
     * Whether to keep per-edge golden metrics ({@code firemesh_requests_total} and friends on
     * {@code /stats/prometheus}); on by default.
     */
    public Builder goldenMetrics(boolean keep) {
      this.goldenMetrics = keep;
      return this;
    }

    /** Write an access log, one line per request; none by default. */
    public Builder accessLog(AccessLogSettings settings) {
      this.accessLog = Objects.requireNonNull(settings, "settings");
      return this;
    }

    /**
     * Tell {@code observer} of every request when it ends (repeatable), on the event loop: it must
     * not block (see {@link ExchangeObserver}).
     */
    public Builder exchangeObserver(ExchangeObserver observer) {
      this.observers.add(Objects.requireNonNull(observer, "observer"));
      return this;
    }

    /**
     * Take part in distributed tracing: each request continues or starts a W3C trace and its span
     * goes to {@code tracing}'s exporter when kept; the sidecar closes it when it stops. Off by
     * default.
     */
    public Builder tracing(Tracing tracing) {
      this.tracing = Objects.requireNonNull(tracing, "tracing");
      return this;
    }

    public Sidecar build() {
      return new Sidecar(this);
    }

    private static int port(int port, String name, boolean zeroAllowed) {
      if (port < (zeroAllowed ? 0 : 1) || port > 65535) {
        throw new IllegalArgumentException(name + " out of range: " + port);
      }
      return port;
    }

    private static Duration positive(Duration value, String name) {
      if (value.isNegative() || value.isZero()) {
        throw new IllegalArgumentException(name + " must be positive: " + value);
      }
      return value;
    }
  }
}
