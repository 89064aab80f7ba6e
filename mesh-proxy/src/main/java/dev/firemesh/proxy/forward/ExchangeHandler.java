package dev.firemesh.proxy.forward;

import dev.firemesh.proxy.http.LocalReply;
import dev.firemesh.proxy.http.RequestHead;
import dev.firemesh.proxy.stats.ProxyStats;
import dev.firemesh.proxy.telemetry.ExchangeObserver;
import dev.firemesh.proxy.telemetry.FailedObservers;
import dev.firemesh.proxy.telemetry.RouteLabels;
import dev.firemesh.proxy.upstream.UpstreamPool;
import dev.firemesh.proxy.upstream.UpstreamPools;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http2.DefaultHttp2ResetFrame;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last handler of a listener pipeline: runs the caller's requests one at a time, in order.
 * {@link RoutedRequest}s are forwarded upstream, {@link LocalReply}s answered here; pieces of a
 * later (pipelined) request wait, with reads paused, until the current exchange ends.
 *
 * <p>On an HTTP/1.1 connection ({@link #forConnection}) the channel is the caller's connection;
 * closing it is the only way to end an exchange early. On HTTP/2 ({@link #forStream}) the channel
 * is one stream, carrying one exchange: ending it early resets the stream ({@code RST_STREAM}), and
 * a response may complete while the request still streams (the stream is then reset with {@code
 * NO_ERROR} once the response is out, RFC 9113 section 8.1).
 */
public final class ExchangeHandler extends ChannelInboundHandlerAdapter {

  private static final Logger log = LoggerFactory.getLogger(ExchangeHandler.class);

  private final UpstreamPools pools;
  private final ForwardSettings settings;
  private final ProxyStats stats;
  private final boolean stream;
  private final ArrayDeque<Object> waiting = new ArrayDeque<>(2);
  private ChannelHandlerContext ctx;
  private UpstreamPool pool;
  private ReadGate gate;
  private ActiveExchange current;
  private boolean closing;
  private boolean draining;
  private boolean reading;
  private ChannelFuture responseEnd;

  private ExchangeHandler(
      UpstreamPools pools, ForwardSettings settings, ProxyStats stats, boolean stream) {
    this.pools = pools;
    this.settings = settings;
    this.stats = stats;
    this.stream = stream;
  }

  /** For an HTTP/1.1 caller connection: requests one after another. */
  public static ExchangeHandler forConnection(
      UpstreamPools pools, ForwardSettings settings, ProxyStats stats) {
    return new ExchangeHandler(pools, settings, stats, false);
  }

  /** For one HTTP/2 stream of a caller connection: one request. */
  public static ExchangeHandler forStream(
      UpstreamPools pools, ForwardSettings settings, ProxyStats stats) {
    return new ExchangeHandler(pools, settings, stats, true);
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
    this.pool = pools.forLoop(ctx.channel().eventLoop());
    this.gate = new ReadGate(ctx.channel());
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    reading = true;
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
      case RoutedRequest routed ->
          begin(new ForwardedExchange(this, routed, notes(routed.head(), routed.labels())));
      case LocalReply reply ->
          begin(new LocalExchange(this, reply, notes(reply.head(), reply.route())));
      case HttpContent content when current != null -> current.onRequestContent(content);
      default -> discard(msg); // a body piece of a request already answered and closed
    }
  }

  /** Notes for an exchange beginning now, if anybody observes exchanges; else {@code OFF}. */
  private ExchangeNotes notes(RequestHead head, RouteLabels labels) {
    return settings.observer() == ExchangeObserver.NONE
        ? ExchangeNotes.OFF
        : ExchangeNotes.begin(head, labels);
  }

  /** The one place an exchange's record is made: when it has ended, however it ended. */
  private void report(ActiveExchange exchange) {
    ExchangeNotes notes = exchange.notes();
    if (!notes.on()) {
      return;
    }
    try {
      settings.observer().exchangeEnded(notes.record(settings, ctx.channel(), stream));
    } catch (RuntimeException e) {
      FailedObservers.log(settings.observer(), e);
    }
  }

  private void begin(ActiveExchange exchange) {
    current = exchange;
    responseEnd = null;
    exchange.start();
  }

  /** Called by the current exchange when it has ended. */
  void exchangeDone(ActiveExchange exchange, boolean closeConnection) {
    if (current != exchange) {
      return;
    }
    current = null;
    report(exchange);
    if (closeConnection || (!stream && settings.drain().phase() == Drain.Phase.CLOSING)) {
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

  /**
   * Called by the current exchange when it cannot finish its response: the caller must not take
   * what it got for a whole response. HTTP/1.1 closes the connection; HTTP/2 resets the stream with
   * {@code http2ErrorCode}.
   */
  void exchangeAborted(ActiveExchange exchange, long http2ErrorCode) {
    if (current != exchange) {
      return;
    }
    current = null;
    report(exchange);
    closing = true;
    discardWaiting();
    if (stream) {
      reset(http2ErrorCode);
    } else {
      ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
    }
  }

  private void closeAfterWrites() {
    closing = true;
    discardWaiting();
    if (!stream) {
      ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
      return;
    }
    // The response is whole but the request is not (or must not be read on): once the response's
    // last frame is out (flow control may hold it back), tell the caller to stop sending.
    ChannelFuture end = responseEnd;
    if (end == null || end.isDone()) {
      reset(Http2Error.NO_ERROR.code());
    } else {
      ctx.flush();
      end.addListener(done -> reset(Http2Error.NO_ERROR.code()));
    }
  }

  private void reset(long http2ErrorCode) {
    if (ctx.channel().isActive()) {
      ctx.writeAndFlush(new DefaultHttp2ResetFrame(http2ErrorCode), ctx.voidPromise());
    }
    ctx.close();
  }

  /**
   * Writes the last piece of a response (a full response, or the last body piece) and remembers
   * when it is out, so that an HTTP/2 stream is not reset before.
   */
  void writeResponseEnd(HttpObject last) {
    if (stream) {
      responseEnd = ctx.write(last);
    } else {
      ctx.write(last, ctx.voidPromise()); // HTTP/1.1 closes after what was written anyway
    }
  }

  /** Whether this handler serves one HTTP/2 stream rather than an HTTP/1.1 connection. */
  boolean stream() {
    return stream;
  }

  /**
   * Whether the caller's connection is in the middle of a read: what an exchange writes upstream
   * now is flushed when the read completes (or with the request's last piece), so a request whose
   * head and body arrived together goes upstream in one write, not two.
   */
  boolean reading() {
    return reading;
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    reading = false;
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
      report(exchange);
    }
    ctx.fireChannelInactive();
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt instanceof IdleStateEvent && current == null && waiting.isEmpty()) {
      ctx.close(); // an idle caller connection; one with a request in flight is never idle-closed
      return;
    }
    if (evt == Drain.Phase.CLOSING && !stream && current == null && waiting.isEmpty()) {
      ctx.close(); // the sidecar is stopping: an idle connection goes now, a busy one after
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
