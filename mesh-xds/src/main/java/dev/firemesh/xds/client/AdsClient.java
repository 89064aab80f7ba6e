package dev.firemesh.xds.client;

import dev.firemesh.traffic.config.DataPlaneConfig;
import dev.firemesh.xds.translate.NodeIdentity;
import io.envoyproxy.envoy.service.discovery.v3.AggregatedDiscoveryServiceGrpc;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A data plane's connection to the control plane: one ADS stream (state of the world) that
 * subscribes to every Listener and Cluster and to the RouteConfigurations and
 * ClusterLoadAssignments they name, ACKs what it can decode, NACKs what it cannot (keeping the
 * previous configuration), and hands each new consistent {@link DataPlaneConfig} to the consumer.
 *
 * <pre>{@code
 * try (AdsClient ads =
 *     AdsClient.builder()
 *         .server("127.0.0.1", 15010)
 *         .node(new NodeIdentity("orders-7f3c", "orders", "eu-west", "a"))
 *         .onConfig(router::update)
 *         .start()) {
 *   ...
 * }
 * }</pre>
 *
 * <p><b>Fail static.</b> When the stream fails, the client reconnects with exponential back-off and
 * jitter (100 ms doubling to 5 s by default) and the last configuration stays in force: the
 * consumer is never handed an empty configuration because the control plane went away. On a new
 * stream everything is asked for afresh, and a configuration is published only if it differs.
 *
 * <p><b>Threads.</b> The client owns one I/O thread (Netty), unless it is given an event loop to
 * share ({@link Builder#eventLoop}), and one thread that runs the protocol, decodes and calls the
 * consumer, in order. The consumer must not block; {@code Router.update} is the intended one.
 */
public final class AdsClient implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(AdsClient.class);

  /** Larger than gRPC's 4 MiB default: a whole mesh's clusters come in one response. */
  private static final int MAX_RESPONSE_BYTES = 64 * 1024 * 1024;

  private final String server;
  private final ConfigAssembler assembler;
  private final Consumer<DataPlaneConfig> consumer;
  private final DiscoverySession session;

  private volatile AdsStatus status;
  private volatile Optional<DataPlaneConfig> config = Optional.empty();

  private AdsClient(Builder builder) {
    this.server = builder.host + ":" + builder.port;
    this.consumer = builder.consumer;
    this.assembler =
        new ConfigAssembler(
            XdsNodes.node(builder.node, builder.metadata, "firemesh"), Clock.systemUTC());
    XdsConnection.Builder connection =
        XdsConnection.to(builder.host, builder.port)
            .protocolThread("firemesh-ads-" + builder.node.id())
            .ioThread("firemesh-ads-io-" + builder.node.id())
            .maxInboundMessageSize(MAX_RESPONSE_BYTES)
            .userAgent("firemesh-ads");
    if (builder.io != null) {
      connection.eventLoop(builder.io, builder.channelType);
    }
    if (builder.tls != null) {
      connection.tls(builder.tls);
    }
    this.session =
        new DiscoverySession(
            connection.open(),
            new Backoff(builder.initialBackoff, builder.maxBackoff),
            new Protocol());
    this.status = new AdsStatus(false, server, "", List.of());
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The configuration in force: the last one published, empty until the first. */
  public Optional<DataPlaneConfig> config() {
    return config;
  }

  public AdsStatus status() {
    return status;
  }

  /** Ends the stream and stops every thread of the client; the consumer is not called again. */
  @Override
  public void close() {
    session.close();
  }

  /** The ADS protocol on the session's stream; runs on the protocol thread. */
  private final class Protocol implements DiscoverySession.Client {
    /** Asks for everything. */
    @Override
    public void open(ManagedChannel channel, DiscoveryStream stream) {
      AggregatedDiscoveryServiceGrpc.newStub(channel).streamAggregatedResources(stream);
      for (DiscoveryRequest request : assembler.streamStarted()) {
        stream.send(request);
      }
    }

    @Override
    public void established(boolean again) {
      if (again) {
        LOG.info("xDS stream re-established server={}", server);
      } else {
        LOG.info("xDS stream established server={}", server);
      }
    }

    @Override
    public void onResponse(DiscoveryStream from, DiscoveryResponse response) {
      ConfigAssembler.Outcome outcome = assembler.onResponse(response);
      for (DiscoveryRequest request : outcome.requests()) {
        from.send(request);
        if (request.hasErrorDetail()) {
          LOG.warn(
              "xDS NACK server={} type={} version={} reason={}",
              server,
              request.getTypeUrl(),
              response.getVersionInfo(),
              request.getErrorDetail().getMessage());
        }
      }
      outcome.newConfig().ifPresent(AdsClient.this::publish);
      updateStatus(true);
    }

    @Override
    public void lost(Status cause, boolean answered, Duration retryIn) {
      if (answered) {
        LOG.warn(
            "xDS stream lost server={} status={} keeping config version={} retryIn={}ms",
            server,
            describe(cause),
            config.map(DataPlaneConfig::version).orElse(""),
            retryIn.toMillis());
      } else {
        LOG.debug(
            "xDS stream failed server={} status={} retryIn={}ms",
            server,
            describe(cause),
            retryIn.toMillis());
      }
      updateStatus(false);
    }

    @Override
    public void closed() {
      status = new AdsStatus(false, server, status.configVersion(), status.recentRejections());
    }
  }

  private void publish(DataPlaneConfig next) {
    config = Optional.of(next);
    LOG.info(
        "xDS config applied version={} services={} clusters={}",
        next.version(),
        next.services().size(),
        next.clusters().size());
    try {
      consumer.accept(next);
    } catch (RuntimeException e) {
      LOG.error("the data plane config consumer failed version={}", next.version(), e);
    }
  }

  private void updateStatus(boolean connected) {
    status =
        new AdsStatus(
            connected,
            server,
            config.map(DataPlaneConfig::version).orElse(""),
            assembler.rejections());
  }

  private static String describe(Status status) {
    return status.getCode()
        + (status.getDescription() == null ? "" : " " + status.getDescription());
  }

  /** Where the control plane is, who this node is, and who receives configurations. */
  public static final class Builder {
    private String host = "";
    private int port;
    private NodeIdentity node = NodeIdentity.of("");
    private final Map<String, String> metadata = new LinkedHashMap<>();
    private Consumer<DataPlaneConfig> consumer = config -> {};
    private Duration initialBackoff = Duration.ofMillis(100);
    private Duration maxBackoff = Duration.ofSeconds(5);
    private EventLoopGroup io;
    private Class<? extends Channel> channelType;
    private SSLContext tls;

    private Builder() {}

    /**
     * Runs the stream's I/O on {@code group}, which the caller owns and stops after {@link
     * #close()}, instead of on a thread of the client's own: a sidecar shares its event loop. The
     * gRPC work there is framing only; messages are decoded on the client's protocol thread.
     *
     * @param channelType a client socket type that {@code group} supports
     */
    public Builder eventLoop(EventLoopGroup group, Class<? extends Channel> channelType) {
      this.io = Objects.requireNonNull(group, "group");
      this.channelType = Objects.requireNonNull(channelType, "channelType");
      return this;
    }

    /** The control plane's ADS address. */
    public Builder server(String host, int port) {
      this.host = Objects.requireNonNull(host, "host");
      this.port = port;
      return this;
    }

    /**
     * Who this node is: its id (unique per data plane instance), its cluster (the service it
     * belongs to) and its locality.
     */
    public Builder node(NodeIdentity node) {
      this.node = Objects.requireNonNull(node, "node");
      return this;
    }

    /** A node metadata entry, sent to the control plane as a string value. */
    public Builder metadata(String key, String value) {
      metadata.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
      return this;
    }

    /**
     * Speaks TLS to the control plane with {@code context}: its key manager presents the workload's
     * certificate (the control plane requires it), its trust manager checks the server. Without it
     * the client speaks plaintext (tests against an in-process server).
     */
    public Builder tls(SSLContext context) {
      this.tls = Objects.requireNonNull(context, "context");
      return this;
    }

    /** Receives each new configuration, in order, on the client's thread; must not block. */
    public Builder onConfig(Consumer<DataPlaneConfig> consumer) {
      this.consumer = Objects.requireNonNull(consumer, "consumer");
      return this;
    }

    /** Reconnection back-off: the first delay and the cap (defaults 100 ms and 5 s). */
    public Builder backoff(Duration initial, Duration max) {
      this.initialBackoff = Objects.requireNonNull(initial, "initial");
      this.maxBackoff = Objects.requireNonNull(max, "max");
      return this;
    }

    /** Starts connecting; returns at once. */
    public AdsClient start() {
      if (host.isEmpty() || port < 1 || port > 65535) {
        throw new IllegalStateException(
            "the control plane's address is not set: server(host, port)");
      }
      if (node.id().isEmpty()) {
        throw new IllegalStateException("the node id is not set: node(...)");
      }
      AdsClient client = new AdsClient(this);
      client.session.start();
      return client;
    }
  }
}
