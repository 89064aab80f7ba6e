package dev.firemesh.proxy.upstream;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpObject;
import io.netty.util.ReferenceCountUtil;
import java.util.Optional;

/**
 * One HTTP/1.1 connection to an upstream, the last handler of its pipeline: it hands what arrives
 * to the bound {@link ResponseListener}, or, while idle in the pool, treats anything arriving as a
 * reason to close.
 */
public final class UpstreamConnection extends ChannelInboundHandlerAdapter {

  private final UpstreamPool pool;
  private final UpstreamAddress address;
  private final long idleTimeoutNanos;
  private Channel channel;
  private ResponseListener listener;
  private Throwable failure;
  private boolean reused;
  private long idleSinceNanos;

  UpstreamConnection(UpstreamPool pool, UpstreamAddress address, long idleTimeoutNanos) {
    this.pool = pool;
    this.address = address;
    this.idleTimeoutNanos = idleTimeoutNanos;
  }

  public Channel channel() {
    return channel;
  }

  public UpstreamAddress address() {
    return address;
  }

  /** Whether this connection carried an earlier request (it came from the idle pool). */
  public boolean reused() {
    return reused;
  }

  /** Binds {@code listener} until {@link UpstreamPool#release}. */
  public void bind(ResponseListener listener) {
    this.listener = listener;
  }

  public void pauseReads() {
    channel.config().setAutoRead(false);
  }

  public void resumeReads() {
    channel.config().setAutoRead(true);
  }

  void unbind() {
    listener = null;
  }

  void markIdle(long nowNanos) {
    idleSinceNanos = nowNanos;
  }

  void markReused() {
    reused = true;
  }

  boolean idleExpired(long nowNanos) {
    return nowNanos - idleSinceNanos >= idleTimeoutNanos;
  }

  void close() {
    listener = null;
    channel.close();
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    channel = ctx.channel();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (listener != null && msg instanceof HttpObject object) {
      listener.onResponse(object);
      return;
    }
    // Bytes on an idle connection (a late 408, garbage): it can no longer be trusted.
    ReferenceCountUtil.release(msg);
    ctx.close();
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    if (listener != null) {
      listener.onUpstreamReadComplete();
    }
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    if (listener != null) {
      listener.onUpstreamWritabilityChanged(ctx.channel().isWritable());
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    ResponseListener bound = listener;
    listener = null;
    if (bound != null) {
      bound.onUpstreamClosed(Optional.ofNullable(failure));
    } else {
      pool.forget(this);
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (failure == null) {
      failure = cause;
    }
    ctx.close(); // the listener learns of it in channelInactive
  }
}
