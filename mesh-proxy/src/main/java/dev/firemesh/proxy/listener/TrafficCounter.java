package dev.firemesh.proxy.listener;

import dev.firemesh.proxy.stats.ProxyStats;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;

/** Counts the bytes a listener's connections read and write, first in the pipeline. */
@Sharable
final class TrafficCounter extends ChannelDuplexHandler {
  private final ProxyStats stats;
  private final ProxyStats.Listener listener;

  TrafficCounter(ProxyStats stats, ProxyStats.Listener listener) {
    this.stats = stats;
    this.listener = listener;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof ByteBuf bytes) {
      stats.bytesIn(listener, bytes.readableBytes());
    }
    ctx.fireChannelRead(msg);
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
    if (msg instanceof ByteBuf bytes) {
      stats.bytesOut(listener, bytes.readableBytes());
    }
    ctx.write(msg, promise);
  }
}
