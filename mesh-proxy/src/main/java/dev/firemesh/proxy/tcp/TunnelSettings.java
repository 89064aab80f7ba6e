package dev.firemesh.proxy.tcp;

import dev.firemesh.proxy.stats.ProxyStats;
import dev.firemesh.proxy.tls.UpstreamTls;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.handler.timeout.IdleStateHandler;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * How tunnels connect and when they give up.
 *
 * @param channelType the socket type of the event loops (epoll or NIO)
 * @param connectTimeout for the connection to a peer sidecar or to the local app
 * @param idleTimeout a tunnel with no byte either way for this long is closed
 * @param maxConnectAttempts endpoints tried when connects are refused (a refused connect reached no
 *     application, so trying another endpoint is always safe)
 * @param tls how a tunnel to a peer sidecar is secured (mTLS to an endpoint with an identity)
 */
public record TunnelSettings(
    Class<? extends Channel> channelType,
    Duration connectTimeout,
    Duration idleTimeout,
    int maxConnectAttempts,
    ProxyStats stats,
    UpstreamTls tls) {
  /** Tunnels in plaintext only. */
  public TunnelSettings(
      Class<? extends Channel> channelType,
      Duration connectTimeout,
      Duration idleTimeout,
      int maxConnectAttempts,
      ProxyStats stats) {
    this(
        channelType, connectTimeout, idleTimeout, maxConnectAttempts, stats, UpstreamTls.PLAINTEXT);
  }

  public TunnelSettings {
    Objects.requireNonNull(tls, "tls");
    Objects.requireNonNull(channelType, "channelType");
    Objects.requireNonNull(stats, "stats");
    Objects.requireNonNull(connectTimeout, "connectTimeout");
    Objects.requireNonNull(idleTimeout, "idleTimeout");
    if (maxConnectAttempts < 1) {
      throw new IllegalArgumentException("maxConnectAttempts must be at least 1");
    }
  }

  /**
   * A connection for one side of a tunnel, on {@code from}'s event loop and allocator: no Nagle,
   * half-close allowed (a FIN is passed on, not taken for the end), the connect timeout, and the
   * idle timeout as the first handler, then {@code handlers}.
   */
  Bootstrap connection(Channel from, ChannelHandler... handlers) {
    return new Bootstrap()
        .group(from.eventLoop())
        .channel(channelType)
        .option(ChannelOption.ALLOCATOR, from.alloc())
        .option(ChannelOption.TCP_NODELAY, true)
        .option(ChannelOption.ALLOW_HALF_CLOSURE, true)
        .option(
            ChannelOption.CONNECT_TIMEOUT_MILLIS,
            (int) Math.min(Integer.MAX_VALUE, connectTimeout.toMillis()))
        .handler(
            new ChannelInitializer<>() {
              @Override
              protected void initChannel(Channel channel) {
                channel.pipeline().addLast("idle", idleHandler()).addLast(handlers);
              }
            });
  }

  /** Closes a tunnel idle both ways for {@link #idleTimeout}. */
  IdleStateHandler idleHandler() {
    return new IdleStateHandler(0, 0, idleTimeout.toMillis(), TimeUnit.MILLISECONDS);
  }
}
