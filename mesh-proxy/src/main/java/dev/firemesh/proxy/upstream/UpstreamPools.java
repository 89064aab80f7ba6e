package dev.firemesh.proxy.upstream;

import dev.firemesh.proxy.http.FlowControlWindows;
import dev.firemesh.proxy.stats.ProxyStats;
import dev.firemesh.proxy.tls.UpstreamTls;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.EventExecutor;
import java.util.IdentityHashMap;
import java.util.Map;

/** One {@link UpstreamPool} per event loop of a group, fixed when the sidecar starts. */
public final class UpstreamPools {

  private final Map<EventLoop, UpstreamPool> byLoop;

  private UpstreamPools(Map<EventLoop, UpstreamPool> byLoop) {
    this.byLoop = byLoop;
  }

  public static UpstreamPools create(
      EventLoopGroup group,
      Class<? extends Channel> channelType,
      ByteBufAllocator allocator,
      ProxyStats stats,
      int maxIdlePerAddress,
      FlowControlWindows windows,
      UpstreamTls tls) {
    Map<EventLoop, UpstreamPool> byLoop = new IdentityHashMap<>();
    for (EventExecutor executor : group) {
      EventLoop loop = (EventLoop) executor;
      byLoop.put(
          loop,
          new UpstreamPool(loop, channelType, allocator, stats, maxIdlePerAddress, windows, tls));
    }
    return new UpstreamPools(byLoop);
  }

  /** The pool of {@code loop}; only that loop's thread may use it. */
  public UpstreamPool forLoop(EventLoop loop) {
    UpstreamPool pool = byLoop.get(loop);
    if (pool == null) {
      throw new IllegalStateException("no upstream pool for event loop " + loop);
    }
    return pool;
  }
}
