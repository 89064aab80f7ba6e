package dev.firemesh.xds.server;

import dev.firemesh.xds.tls.XdsTls;
import dev.firemesh.xds.translate.MeshState;
import io.envoyproxy.controlplane.server.V3DiscoveryServer;
import io.envoyproxy.controlplane.server.serializer.CachedProtoResourcesSerializer;
import io.grpc.Server;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.netty.NettyServerBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Serves the mesh over Envoy v3 ADS (state of the world and delta) to proxyless gRPC clients and
 * sidecars, one snapshot per node id.
 *
 * <pre>{@code
 * try (XdsServer xds = XdsServer.start(new InetSocketAddress("127.0.0.1", 0))) {
 *   xds.update(new MeshState(resources, instances));
 *   // clients bootstrap with server_uri 127.0.0.1:<xds.port()>
 * }
 * }</pre>
 *
 * <p>{@link #update} may be called from any thread; updates apply in call order. A node that
 * connects later is served the current mesh on its first request. Nothing is served before the
 * first update: a node that connects earlier waits for it, rather than being told the mesh is empty
 * and dropping the configuration it kept while the control plane was away. A node whose last stream
 * closed is forgotten after the retention period, unless it reconnects first.
 */
public final class XdsServer implements AutoCloseable {
  /** How long a disconnected node's snapshot and status are kept, by default. */
  public static final Duration DEFAULT_NODE_RETENTION = Duration.ofMinutes(5);

  private static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(5);

  private final Server server;
  private final SnapshotPublisher publisher;
  private final RuntimeDiscovery runtime;
  private final NodeTracker tracker;
  private final ExecutorService workers;
  private final ScheduledExecutorService evictions;

  private XdsServer(
      Server server,
      SnapshotPublisher publisher,
      RuntimeDiscovery runtime,
      NodeTracker tracker,
      ExecutorService workers,
      ScheduledExecutorService evictions) {
    this.server = server;
    this.publisher = publisher;
    this.runtime = runtime;
    this.tracker = tracker;
    this.workers = workers;
    this.evictions = evictions;
  }

  /** Starts serving plaintext on {@code bind} (port 0 picks a free port; see {@link #port()}). */
  public static XdsServer start(InetSocketAddress bind) {
    return builder(bind).start();
  }

  public static XdsServer start(InetSocketAddress bind, Duration nodeRetention) {
    return builder(bind).nodeRetention(nodeRetention).start();
  }

  /** A server on {@code bind}: plaintext and with the default retention unless told otherwise. */
  public static Builder builder(InetSocketAddress bind) {
    return new Builder(bind);
  }

  /** What {@link #start} needs; every setting but the address has a default. */
  public static final class Builder {
    private final InetSocketAddress bind;
    private Duration nodeRetention = DEFAULT_NODE_RETENTION;
    private NodeAuthentication authentication;

    private Builder(InetSocketAddress bind) {
      this.bind = Objects.requireNonNull(bind, "bind");
    }

    /** How long a disconnected node's snapshot and status are kept. */
    public Builder nodeRetention(Duration retention) {
      this.nodeRetention = Objects.requireNonNull(retention, "retention");
      return this;
    }

    /**
     * Serves over TLS only, to nodes whose certificate proves a workload identity, each for its own
     * service. Without it the server speaks plaintext to anyone (tests, and nothing else).
     */
    public Builder authentication(NodeAuthentication authentication) {
      this.authentication = Objects.requireNonNull(authentication, "authentication");
      return this;
    }

    /**
     * Starts serving.
     *
     * @throws UncheckedIOException if the address cannot be bound
     */
    public XdsServer start() {
      ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor();
      ScheduledExecutorService evictions =
          Executors.newSingleThreadScheduledExecutor(
              Thread.ofPlatform().name("firemesh-xds-evictions").daemon().factory());
      NodeCache cache = new NodeCache();
      SnapshotPublisher publisher = new SnapshotPublisher(cache);
      NodeTracker tracker = new NodeTracker(publisher, evictions, nodeRetention);
      V3DiscoveryServer discovery =
          new V3DiscoveryServer(
              List.of(tracker),
              new FullStateAnswers(cache),
              new StreamExecutors(workers),
              new CachedProtoResourcesSerializer());
      // Interceptors run last-first: the node is made sticky, then authenticated, then served.
      List<ServerInterceptor> interceptors = new ArrayList<>(List.of(new NackedVersionHold()));
      if (authentication != null) {
        interceptors.add(new AuthenticatedNodes(authentication.identify()));
      }
      interceptors.add(new StickyNode());
      // RTDS (the chassis's config) behind the same interceptors as ADS: a node gets the config
      // of its own service only, the environment its SVID names.
      RuntimeDiscovery runtime = new RuntimeDiscovery();
      NettyServerBuilder netty =
          NettyServerBuilder.forAddress(bind)
              .executor(workers)
              .addService(
                  ServerInterceptors.intercept(
                      discovery.getAggregatedDiscoveryServiceImpl(), interceptors))
              .addService(ServerInterceptors.intercept(runtime, interceptors));
      if (authentication != null) {
        netty.sslContext(XdsTls.server(authentication.tls()));
      }
      Server server = netty.build();
      try {
        server.start();
      } catch (IOException e) {
        workers.shutdownNow();
        evictions.shutdownNow();
        throw new UncheckedIOException("cannot start the xDS server on " + bind, e);
      }
      return new XdsServer(server, publisher, runtime, tracker, workers, evictions);
    }
  }

  /** Translates {@code state} and pushes what changed to every connected node. */
  public void update(MeshState state) {
    update(state, 0);
  }

  /**
   * Translates {@code state}, read at store revision {@code revision}, and pushes what changed to
   * every connected node: xDS to sidecars, and over RTDS each chassis instance's config document
   * (stamped with the revision when its content changed).
   */
  public void update(MeshState state, long revision) {
    publisher.publish(state);
    runtime.publish(RuntimeDiscovery.configs(state.resources()), revision);
  }

  /** RTDS NACKs per service since start: config documents the instances refused. */
  public Map<String, Long> configNacks() {
    return runtime.nackCounts();
  }

  /** {@code firemesh_control_config_nacks_total} in Prometheus text, for the metrics endpoint. */
  public String configMetricsText() {
    return runtime.exposition();
  }

  /** Every node known now (connected, or disconnected within the retention period), by id. */
  public List<NodeStatus> nodes() {
    return tracker.statuses();
  }

  public Optional<NodeStatus> node(String nodeId) {
    return tracker.status(nodeId);
  }

  /** How many nodes hold a snapshot: the connected ones and those within the retention. */
  int snapshotCount() {
    return publisher.size();
  }

  /** The port the server listens on. */
  public int port() {
    return server.getPort();
  }

  /**
   * Closes every stream at once (xDS streams never end by themselves, and clients reconnect to
   * another control plane or keep their last config) and stops every thread.
   */
  @Override
  public void close() {
    server.shutdownNow();
    try {
      server.awaitTermination(SHUTDOWN_GRACE.toMillis(), TimeUnit.MILLISECONDS);
      // Stream-closed callbacks still run on the workers after the server terminates, and they
      // schedule evictions: stop the workers first.
      workers.shutdown();
      workers.awaitTermination(SHUTDOWN_GRACE.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      workers.shutdownNow();
      evictions.shutdownNow();
    }
  }
}
