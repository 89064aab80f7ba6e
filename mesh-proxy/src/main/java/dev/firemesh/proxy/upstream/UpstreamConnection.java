package dev.firemesh.proxy.upstream;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http2.Http2GoAwayFrame;
import io.netty.handler.codec.http2.Http2ResetFrame;
import io.netty.util.ReferenceCountUtil;
import java.util.Optional;

/**
 * Where one request travels to an upstream, the last handler of its pipeline: an HTTP/1.1
 * connection, or one stream of a {@link MultiplexedConnection} (a child channel whose codec turns
 * HTTP/2 frames into the same HTTP objects). It hands what arrives to the bound {@link
 * ResponseListener}, or, while an HTTP/1.1 connection idles in the pool, treats anything arriving
 * as a reason to close.
 */
public final class UpstreamConnection extends ChannelInboundHandlerAdapter {

  private final UpstreamPool pool;
  private final UpstreamAddress address;
  private final long idleTimeoutNanos;
  private final UpstreamProtocol protocol;
  private Channel channel;
  private ResponseListener listener;
  private Throwable failure;
  private boolean reused;
  private long idleSinceNanos;

  UpstreamConnection(
      UpstreamPool pool,
      UpstreamAddress address,
      long idleTimeoutNanos,
      UpstreamProtocol protocol) {
    this.pool = pool;
    this.address = address;
    this.idleTimeoutNanos = idleTimeoutNanos;
    this.protocol = protocol;
  }

  /** The channel requests are written to: the connection, or for HTTP/2 the stream. */
  public Channel channel() {
    return channel;
  }

  public UpstreamAddress address() {
    return address;
  }

  public UpstreamProtocol protocol() {
    return protocol;
  }

  /**
   * Whether the connection carried an earlier request: for HTTP/1.1 it came from the idle pool, for
   * HTTP/2 the stream is not the first on its connection.
   */
  public boolean reused() {
    return reused;
  }

  /** Binds {@code listener} until {@link UpstreamPool#release}. */
  public void bind(ResponseListener listener) {
    this.listener = listener;
  }

  /**
   * Stops reading; for HTTP/2 that stops returning flow-control window, so the upstream stops
   * sending on this stream. Returns whether reads were running until now.
   */
  public boolean pauseReads() {
    boolean reading = channel.config().isAutoRead();
    channel.config().setAutoRead(false);
    return reading;
  }

  public void resumeReads() {
    channel.config().setAutoRead(true);
    channel.flush(); // for HTTP/2, the window update the resumed read wrote (see ReadGate)
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

  /** Closes the connection; an HTTP/2 stream not yet ended both ways is reset ({@code CANCEL}). */
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

  /** HTTP/2 stream events: why the stream is about to close. */
  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    try {
      if (failure == null) {
        switch (evt) {
          case Http2ResetFrame reset -> failure = StreamResetException.reset(reset.errorCode());
          case Http2GoAwayFrame goAway ->
              failure = StreamResetException.goingAway(goAway.errorCode());
          default -> {}
        }
      }
    } finally {
      ReferenceCountUtil.release(evt); // a GOAWAY reaches each stream as a retained duplicate
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
