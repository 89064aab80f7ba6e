package dev.firemesh.xds.client;

import dev.firemesh.xds.tls.XdsTls;
import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;

/**
 * What an xDS client runs on: one protocol thread, which runs the client's protocol and the gRPC
 * callbacks in order (so the client's state needs no locks); one Netty I/O thread, its own or a
 * shared event loop; and the gRPC channel to the control plane, TLS or plaintext. {@link AdsClient}
 * and the chassis's RTDS feed each hold one; what they say on it is theirs.
 *
 * <pre>{@code
 * XdsConnection connection =
 *     XdsConnection.to("127.0.0.1", 15010)
 *         .protocolThread("firemesh-ads-" + node.id())
 *         .ioThread("firemesh-ads-io-" + node.id())
 *         .tls(workloadSslContext)
 *         .userAgent("firemesh-ads")
 *         .open();
 * connection.protocol().execute(this::openStream);
 * }</pre>
 */
public final class XdsConnection {
  private static final Duration CLOSE_GRACE = Duration.ofSeconds(2);

  private final ScheduledThreadPoolExecutor protocol;
  private final Thread protocolThread;
  private final EventLoopGroup io;
  private final boolean ownsIo;
  private final ExecutorService offload;
  private final ManagedChannel channel;

  private XdsConnection(Builder builder) {
    // The one protocol thread, started here, so that close() can tell when it runs on it.
    Thread[] thread = new Thread[1];
    this.protocol =
        new ScheduledThreadPoolExecutor(
            1,
            runnable -> {
              thread[0] =
                  Thread.ofPlatform().name(builder.protocolThread).daemon().unstarted(runnable);
              return thread[0];
            });
    protocol.setRemoveOnCancelPolicy(true);
    protocol.prestartCoreThread();
    this.protocolThread = thread[0];
    this.ownsIo = builder.io == null;
    this.io =
        ownsIo
            ? new MultiThreadIoEventLoopGroup(
                1, new DefaultThreadFactory(builder.ioThread, true), NioIoHandler.newFactory())
            : builder.io;
    // Name resolution may block; it must not block the protocol thread.
    this.offload = Executors.newVirtualThreadPerTaskExecutor();
    NettyChannelBuilder channel = NettyChannelBuilder.forAddress(builder.host, builder.port);
    if (builder.tls == null) {
      channel.usePlaintext();
    } else {
      channel.sslContext(XdsTls.client(builder.tls));
    }
    if (builder.maxInboundMessageBytes > 0) {
      channel.maxInboundMessageSize(builder.maxInboundMessageBytes);
    }
    this.channel =
        channel
            .eventLoopGroup(io)
            .channelType(ownsIo ? NioSocketChannel.class : builder.channelType)
            .executor(protocol)
            .offloadExecutor(offload)
            .userAgent(builder.userAgent)
            .build();
  }

  /** A connection to the control plane's xDS port at {@code host:port}. */
  public static Builder to(String host, int port) {
    return new Builder(host, port);
  }

  /** The channel to open streams on; their callbacks run on the protocol thread. */
  public ManagedChannel channel() {
    return channel;
  }

  /** The protocol thread: the client's own work (opening streams, reconnecting) goes here. */
  public ScheduledExecutorService protocol() {
    return protocol;
  }

  /**
   * Runs {@code last} on the protocol thread (where the client cancels its stream and marks itself
   * closed), then stops the channel and every thread of the connection, waiting a short grace for
   * each unless called on the protocol thread itself. A shared event loop is left to its owner.
   * Call once.
   */
  public void close(Runnable last) {
    boolean onProtocolThread = Thread.currentThread() == protocolThread;
    protocol.execute(last);
    channel.shutdownNow();
    try {
      if (!onProtocolThread) {
        channel.awaitTermination(CLOSE_GRACE.toMillis(), TimeUnit.MILLISECONDS);
      }
      protocol.shutdown();
      if (!onProtocolThread) {
        protocol.awaitTermination(CLOSE_GRACE.toMillis(), TimeUnit.MILLISECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      protocol.shutdownNow();
      offload.shutdownNow();
      if (ownsIo) {
        var ioDone = io.shutdownGracefully(0, CLOSE_GRACE.toMillis(), TimeUnit.MILLISECONDS);
        if (!onProtocolThread) {
          ioDone.awaitUninterruptibly(CLOSE_GRACE.toMillis() * 2);
        }
      }
    }
  }

  /** The threads' names, the transport and the channel's limits. */
  public static final class Builder {
    private final String host;
    private final int port;
    private String protocolThread = "firemesh-xds";
    private String ioThread = "firemesh-xds-io";
    private EventLoopGroup io;
    private Class<? extends Channel> channelType;
    private SSLContext tls;
    private int maxInboundMessageBytes;
    private String userAgent = "firemesh";

    private Builder(String host, int port) {
      this.host = Objects.requireNonNull(host, "host");
      this.port = port;
    }

    /** The protocol thread's name (thread dumps and logs tell the clients apart by it). */
    public Builder protocolThread(String name) {
      this.protocolThread = Objects.requireNonNull(name, "name");
      return this;
    }

    /** The name prefix of the connection's own I/O thread; unused with {@link #eventLoop}. */
    public Builder ioThread(String name) {
      this.ioThread = Objects.requireNonNull(name, "name");
      return this;
    }

    /**
     * Runs the I/O on {@code group}, which the caller owns and stops after {@link #close}, instead
     * of on a thread of the connection's own.
     *
     * @param channelType a client socket type that {@code group} supports
     */
    public Builder eventLoop(EventLoopGroup group, Class<? extends Channel> channelType) {
      this.io = Objects.requireNonNull(group, "group");
      this.channelType = Objects.requireNonNull(channelType, "channelType");
      return this;
    }

    /** Speaks TLS with {@code context}; without it, plaintext (tests). */
    public Builder tls(SSLContext context) {
      this.tls = Objects.requireNonNull(context, "context");
      return this;
    }

    /** The largest response accepted, when gRPC's default (4 MiB) is too small. */
    public Builder maxInboundMessageSize(int bytes) {
      if (bytes <= 0) {
        throw new IllegalArgumentException("the inbound message limit must be positive: " + bytes);
      }
      this.maxInboundMessageBytes = bytes;
      return this;
    }

    /** The gRPC user agent, which tells the control plane's logs which kind of client this is. */
    public Builder userAgent(String userAgent) {
      this.userAgent = Objects.requireNonNull(userAgent, "userAgent");
      return this;
    }

    /** Starts the threads and builds the channel; it connects with the first stream. */
    public XdsConnection open() {
      return new XdsConnection(this);
    }
  }
}
