package dev.firemesh.proxy.upstream;

import dev.firemesh.proxy.http.FlowControlWindows;
import dev.firemesh.proxy.stats.ProxyStats;
import dev.firemesh.proxy.tls.UpstreamTls;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2Settings;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The upstream connections of one event loop. HTTP/1.1: idle keep-alive connections per address (at
 * most {@code maxIdlePerAddress}, each closed after its idle timeout). HTTP/2: multiplexed
 * connections per address, each request a new stream on one of them; a further connection is made
 * only when those are full (the upstream's limit on concurrent streams) or going away. Connections
 * are made on the same loop so that a request and its upstream connection share a thread and never
 * lock.
 */
public final class UpstreamPool {

  private static final long SWEEP_INTERVAL_MILLIS = 1_000;
  private static final int MAX_RESPONSE_LINE_BYTES = 8 * 1024;
  private static final int MAX_RESPONSE_HEADER_BYTES = 64 * 1024;
  private static final int MAX_CHUNK_BYTES = 64 * 1024;

  private final EventLoop loop;
  private final Bootstrap bootstrap;
  private final ProxyStats stats;
  private final int maxIdlePerAddress;
  private final FlowControlWindows windows;
  private final UpstreamTls tls;
  private final Map<UpstreamAddress, ArrayDeque<UpstreamConnection>> idle = new HashMap<>();
  private final Map<UpstreamAddress, ArrayList<MultiplexedConnection>> multiplexed =
      new HashMap<>();
  private boolean sweeping;

  UpstreamPool(
      EventLoop loop,
      Class<? extends Channel> channelType,
      ByteBufAllocator allocator,
      ProxyStats stats,
      int maxIdlePerAddress,
      FlowControlWindows windows,
      UpstreamTls tls) {
    this.loop = loop;
    this.tls = tls;
    this.stats = stats;
    this.maxIdlePerAddress = maxIdlePerAddress;
    this.windows = windows;
    this.bootstrap =
        new Bootstrap()
            .group(loop)
            .channel(channelType)
            .option(ChannelOption.ALLOCATOR, allocator)
            .option(ChannelOption.TCP_NODELAY, true)
            .option(ChannelOption.SO_KEEPALIVE, true);
  }

  /**
   * An idle connection to {@code address} that is still open, the most recently used first: it is
   * the least likely to have reached the upstream's own idle timeout.
   */
  public Optional<UpstreamConnection> reuse(UpstreamAddress address) {
    ArrayDeque<UpstreamConnection> connections = idle.get(address);
    if (connections == null) {
      return Optional.empty();
    }
    long now = System.nanoTime();
    UpstreamConnection connection;
    while ((connection = connections.pollLast()) != null) {
      if (connection.channel().isActive() && !connection.idleExpired(now)) {
        connection.markReused();
        stats.upstreamConnectionReused();
        return Optional.of(connection);
      }
      connection.close();
    }
    return Optional.empty();
  }

  /** Opens a new connection to {@code address}; {@code callback} hears of it on this loop. */
  public void connect(
      UpstreamAddress address,
      Duration connectTimeout,
      Duration idleTimeout,
      ConnectCallback callback) {
    UpstreamConnection connection =
        new UpstreamConnection(this, address, idleTimeout.toNanos(), UpstreamProtocol.HTTP1);
    ChannelFuture future =
        bootstrap
            .clone()
            .option(
                ChannelOption.CONNECT_TIMEOUT_MILLIS,
                Math.clamp(connectTimeout.toMillis(), 1, Integer.MAX_VALUE))
            .handler(
                new ChannelInitializer<>() {
                  @Override
                  protected void initChannel(Channel channel) {
                    channel
                        .pipeline()
                        .addLast(
                            "codec", new HttpClientCodec(responseDecoderConfig(), false, false))
                        .addLast("connection", connection);
                    tls.secure(
                        channel,
                        UpstreamTls.Alpn.HTTP1,
                        address.identity(),
                        address.cluster(),
                        connectTimeout);
                  }
                })
            .connect(address.socketAddress());
    future.addListener(
        done -> {
          if (!done.isSuccess()) {
            stats.upstreamConnectFailed();
            callback.connectFailed(done.cause());
            return;
          }
          // Over mTLS, connected means the peer proved the endpoint's identity.
          UpstreamTls.ready(future.channel())
              .addListener(
                  ready -> {
                    if (ready.isSuccess()) {
                      stats.upstreamConnectionOpened();
                      callback.connected(connection);
                    } else {
                      stats.upstreamConnectFailed();
                      callback.connectFailed(ready.cause());
                    }
                  });
        });
  }

  /**
   * Opens a new HTTP/2 stream to {@code address}: on a connection of this loop with room for it,
   * else on the connection being made, else on a new one. {@code callback} hears of it on this
   * loop, possibly before this method returns.
   */
  public void openStream(
      UpstreamAddress address,
      Duration connectTimeout,
      Duration idleTimeout,
      ConnectCallback callback) {
    ArrayList<MultiplexedConnection> connections =
        multiplexed.computeIfAbsent(address, a -> new ArrayList<>(1));
    for (MultiplexedConnection connection : connections) {
      if (connection.hasRoom()) {
        connection.open(callback);
        return;
      }
    }
    for (MultiplexedConnection connection : connections) {
      if (connection.connecting()) {
        connection.await(callback);
        return;
      }
    }
    MultiplexedConnection connection =
        new MultiplexedConnection(this, stats, address, connectTimeout, idleTimeout);
    connections.add(connection);
    connection.await(callback);
    bootstrap
        .clone()
        .option(
            ChannelOption.CONNECT_TIMEOUT_MILLIS,
            Math.clamp(connectTimeout.toMillis(), 1, Integer.MAX_VALUE))
        .handler(
            new ChannelInitializer<>() {
              @Override
              protected void initChannel(Channel channel) {
                channel
                    .pipeline()
                    .addLast("codec", http2Codec())
                    .addLast(
                        "streams",
                        new Http2MultiplexHandler(MultiplexedConnection.RefusePushes.INSTANCE))
                    .addLast("connection", connection);
                // First in the pipeline: the preface and SETTINGS wait for the handshake.
                tls.secure(
                    channel,
                    UpstreamTls.Alpn.H2,
                    address.identity(),
                    address.cluster(),
                    connectTimeout);
              }
            })
        .connect(address.socketAddress())
        .addListener(
            (ChannelFuture done) -> {
              if (!done.isSuccess()) {
                stats.upstreamConnectFailed();
                forget(connection);
                connection.fail(done.cause());
                return;
              }
              UpstreamTls.ready(done.channel())
                  .addListener(
                      ready -> {
                        if (ready.isSuccess()) {
                          stats.upstreamConnectionOpened();
                          connection.connected();
                        } else {
                          stats.upstreamConnectFailed();
                          forget(connection);
                          connection.fail(ready.cause());
                        }
                      });
            });
    startSweeping();
  }

  private Http2FrameCodec http2Codec() {
    Http2Settings settings =
        new Http2Settings()
            .pushEnabled(false)
            .maxHeaderListSize(MAX_RESPONSE_HEADER_BYTES)
            .initialWindowSize(windows.stream());
    return Http2FrameCodecBuilder.forClient()
        .initialSettings(settings)
        .validateHeaders(true)
        // Streams over a limit the upstream lowered after they were opened wait, rather than fail.
        .encoderEnforceMaxConcurrentStreams(true)
        .build();
  }

  /** The connection-level receive window, raised once the preface went out. */
  FlowControlWindows windows() {
    return windows;
  }

  /**
   * Takes a connection back. A {@code reusable} HTTP/1.1 connection (the exchange on it completed
   * cleanly both ways and both sides agreed to keep it) waits for the next request; any other is
   * closed. An HTTP/2 stream is always closed: reset if it did not end both ways.
   */
  public void release(UpstreamConnection connection, boolean reusable) {
    connection.unbind();
    if (connection.protocol() == UpstreamProtocol.HTTP2) {
      connection.close();
      return;
    }
    if (!reusable || !connection.channel().isActive()) {
      connection.close();
      return;
    }
    ArrayDeque<UpstreamConnection> connections =
        idle.computeIfAbsent(connection.address(), a -> new ArrayDeque<>());
    if (connections.size() >= maxIdlePerAddress) {
      connection.close();
      return;
    }
    connection.resumeReads(); // an idle connection must notice the upstream closing it
    connection.markIdle(System.nanoTime());
    connections.addLast(connection);
    startSweeping();
  }

  /** An idle connection closed by the upstream. */
  void forget(UpstreamConnection connection) {
    ArrayDeque<UpstreamConnection> connections = idle.get(connection.address());
    if (connections != null) {
      connections.remove(connection);
    }
  }

  /** A multiplexed connection that closed or could not be made. */
  void forget(MultiplexedConnection connection) {
    ArrayList<MultiplexedConnection> connections = multiplexed.get(connection.address());
    if (connections != null) {
      connections.remove(connection);
      if (connections.isEmpty()) {
        multiplexed.remove(connection.address());
      }
    }
  }

  private void startSweeping() {
    if (!sweeping) {
      sweeping = true;
      loop.scheduleAtFixedRate(
          this::closeExpired, SWEEP_INTERVAL_MILLIS, SWEEP_INTERVAL_MILLIS, TimeUnit.MILLISECONDS);
    }
  }

  private void closeExpired() {
    long now = System.nanoTime();
    Iterator<ArrayDeque<UpstreamConnection>> queues = idle.values().iterator();
    while (queues.hasNext()) {
      ArrayDeque<UpstreamConnection> connections = queues.next();
      connections.removeIf(
          connection -> {
            boolean expired = connection.idleExpired(now);
            if (expired) {
              connection.close();
            }
            return expired;
          });
      if (connections.isEmpty()) {
        queues.remove();
      }
    }
    List<MultiplexedConnection> expired = new ArrayList<>();
    for (ArrayList<MultiplexedConnection> connections : multiplexed.values()) {
      for (MultiplexedConnection connection : connections) {
        if (connection.idleExpired(now)) {
          expired.add(connection);
        }
      }
    }
    expired.forEach(MultiplexedConnection::close); // closing forgets, so not while iterating
  }

  /** Upstream responses are checked as strictly as requests: a bad one becomes a 502. */
  private static HttpDecoderConfig responseDecoderConfig() {
    return new HttpDecoderConfig()
        .setMaxInitialLineLength(MAX_RESPONSE_LINE_BYTES)
        .setMaxHeaderSize(MAX_RESPONSE_HEADER_BYTES)
        .setMaxChunkSize(MAX_CHUNK_BYTES)
        .setValidateHeaders(true)
        .setStrictLineParsing(true);
  }
}
