package dev.firemesh.proxy.tcp;

import dev.firemesh.traffic.route.Router;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.timeout.IdleStateHandler;
import java.util.concurrent.TimeUnit;

/**
 * The pipeline of a connection accepted on a {@link TcpUpstream}'s local port. The listener must
 * accept with {@code AUTO_READ} off: nothing is read from the app until its tunnel is up.
 */
public final class TcpUpstreamListener extends ChannelInitializer<Channel> {
  private final TcpUpstream upstream;
  private final Router router;
  private final TunnelSettings settings;

  public TcpUpstreamListener(TcpUpstream upstream, Router router, TunnelSettings settings) {
    this.upstream = upstream;
    this.router = router;
    this.settings = settings;
  }

  @Override
  protected void initChannel(Channel channel) {
    channel
        .pipeline()
        .addLast(
            "idle",
            new IdleStateHandler(0, 0, settings.idleTimeout().toMillis(), TimeUnit.MILLISECONDS))
        .addLast("tunnel", new CallerTunnel(upstream, router, settings));
  }

  @Override
  public String toString() {
    return "tcp upstream " + upstream.authority();
  }
}
