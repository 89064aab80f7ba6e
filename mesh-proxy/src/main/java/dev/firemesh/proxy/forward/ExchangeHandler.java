package dev.firemesh.proxy.forward;

import dev.firemesh.proxy.http.LocalReply;
import dev.firemesh.proxy.stats.ProxyStats;
import dev.firemesh.proxy.upstream.UpstreamPool;
import dev.firemesh.proxy.upstream.UpstreamPools;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last handler of a listener pipeline: runs the caller's requests one at a time, in order.
 * {@link RoutedRequest}s are forwarded upstream, {@link LocalReply}s answered here; pieces of a
 * later (pipelined) request wait, with reads paused, until the current exchange ends.
 */
public final class ExchangeHandler extends ChannelInboundHandlerAdapter {

  private static final Logger log = LoggerFactory.getLogger(ExchangeHandler.class);

  private final UpstreamPools pools;
  private final ForwardSettings settings;
  private final ProxyStats stats;
  private final ArrayDeque<Object> waiting = new ArrayDeque<>(2);
  private ChannelHandlerContext ctx;
  private UpstreamPool pool;
  private ReadGate gate;
  private ActiveExchange current;
  private boolean closing;
  private boolean draining;

  public ExchangeHandler(UpstreamPools pools, ForwardSettings settings, ProxyStats stats) {
    this.pools = pools;
    this.settings = settings;
    this.stats = stats;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
    this.pool = pools.forLoop(ctx.channel().eventLoop());
    this.gate = new ReadGate(ctx.channel());
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (closing) {
      discard(msg);
      return;
    }
    if (!waiting.isEmpty() || (current != null && current.requestComplete())) {
      waiting.add(msg);
      gate.pause(ReadGate.PIPELINED);
      return;
    }
    dispatch(msg);
  }

  private void dispatch(Object msg) {
    switch (msg) {
      case RoutedRequest routed -> begin(new ForwardedExchange(this, routed));
      case LocalReply reply -> begin(new LocalExchange(this, reply));
      case HttpContent content when current != null -> current.onRequestContent(content);
      default -> discard(msg); // a body piece of a request already answered and closed
    }
  }

  private void begin(ActiveExchange exchange) {
    current = exchange;
    exchange.start();
  }

  /** Called by the current exchange when it has ended. */
  void exchangeDone(ActiveExchange exchange, boolean closeConnection) {
    if (current != exchange) {
      return;
    }
    current = null;
    if (closeConnection) {
      closeAfterWrites();
      return;
    }
    drain();
  }

  private void drain() {
    if (draining) {
      return; // an exchange ended inside dispatch below; the loop picks up from here
    }
    draining = true;
    try {
      while (!closing && !waiting.isEmpty() && (current == null || !current.requestComplete())) {
        dispatch(waiting.poll());
      }
    } finally {
      draining = false;
    }
    if (waiting.isEmpty()) {
      gate.resume(ReadGate.PIPELINED);
    }
  }

  private void closeAfterWrites() {
    closing = true;
    discardWaiting();
    ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    if (current != null) {
      current.onDownstreamReadComplete();
    }
    ctx.fireChannelReadComplete();
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    if (current != null) {
      current.onDownstreamWritabilityChanged(ctx.channel().isWritable());
    }
    ctx.fireChannelWritabilityChanged();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    closing = true;
    discardWaiting();
    ActiveExchange exchange = current;
    current = null;
    if (exchange != null) {
      exchange.onDownstreamClosed();
    }
    ctx.fireChannelInactive();
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt instanceof IdleStateEvent && current == null && waiting.isEmpty()) {
      ctx.close(); // an idle caller connection; one with a request in flight is never idle-closed
      return;
    }
    ctx.fireUserEventTriggered(evt);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    // Resets by callers are routine; whatever it was, this connection is done, the loop is not.
    log.debug(
        "caller connection failed listener={} remote={}",
        settings.listener(),
        ctx.channel().remoteAddress(),
        cause);
    ctx.close();
  }

  private void discardWaiting() {
    Object msg;
    while ((msg = waiting.poll()) != null) {
      discard(msg);
    }
  }

  private static void discard(Object msg) {
    if (msg instanceof RoutedRequest routed) {
      routed.target().lease().close();
    }
    ReferenceCountUtil.release(msg);
  }

  ChannelHandlerContext ctx() {
    return ctx;
  }

  UpstreamPool pool() {
    return pool;
  }

  ReadGate gate() {
    return gate;
  }

  ForwardSettings settings() {
    return settings;
  }

  ProxyStats stats() {
    return stats;
  }

  /** Records how many bytes {@code channel} holds unsent: what back-pressure keeps bounded. */
  void observePending(Channel channel) {
    ChannelOutboundBuffer buffer = channel.unsafe().outboundBuffer();
    if (buffer != null) {
      stats.pendingWriteBytes(buffer.totalPendingWriteBytes());
    }
  }
}
