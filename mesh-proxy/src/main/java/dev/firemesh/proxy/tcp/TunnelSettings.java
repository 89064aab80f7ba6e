package dev.firemesh.proxy.tcp;

import dev.firemesh.proxy.stats.ProxyStats;
import io.netty.channel.Channel;
import java.time.Duration;
import java.util.Objects;

/**
 * How tunnels connect and when they give up.
 *
 * @param channelType the socket type of the event loops (epoll or NIO)
 * @param connectTimeout for the connection to a peer sidecar or to the local app
 * @param idleTimeout a tunnel with no byte either way for this long is closed
 * @param maxConnectAttempts endpoints tried when connects are refused (a refused connect reached no
 *     application, so trying another endpoint is always safe)
 */
public record TunnelSettings(
    Class<? extends Channel> channelType,
    Duration connectTimeout,
    Duration idleTimeout,
    int maxConnectAttempts,
    ProxyStats stats) {
  public TunnelSettings {
    Objects.requireNonNull(channelType, "channelType");
    Objects.requireNonNull(stats, "stats");
    Objects.requireNonNull(connectTimeout, "connectTimeout");
    Objects.requireNonNull(idleTimeout, "idleTimeout");
    if (maxConnectAttempts < 1) {
      throw new IllegalArgumentException("maxConnectAttempts must be at least 1");
    }
  }
}
