package dev.firemesh.proxy.upstream;

import dev.firemesh.proxy.stats.ProxyStats;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ConnectTimeoutException;
import io.netty.handler.codec.http2.DefaultHttp2WindowUpdateFrame;
import io.netty.handler.codec.http2.Http2GoAwayFrame;
import io.netty.handler.codec.http2.Http2SettingsFrame;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamChannelBootstrap;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One HTTP/2 connection to an upstream, carrying many requests at once: the last handler of the
 * connection's pipeline (after the frame codec and the stream multiplexer). Each request gets its
 * own stream, a child channel whose codec turns HTTP/2 frames into the HTTP objects the forwarding
 * engine speaks, ending in an {@link UpstreamConnection}.
 *
 * <p>Streams open only once the upstream's first SETTINGS has arrived, so that its limit on
 * concurrent streams is known; requests arriving before wait here. The connection takes no new
 * streams at that limit (the pool opens another connection) or once the upstream sent GOAWAY (it
 * closes when its last stream ends). Owned by one event loop, like its pool.
 */
final class MultiplexedConnection extends ChannelInboundHandlerAdapter {

  private enum State {
    CONNECTING,
    READY,
    DRAINING,
    CLOSED
  }

  private final UpstreamPool pool;
  private final ProxyStats stats;
  private final UpstreamAddress address;
  private final Duration connectTimeout;
  private final Duration idleTimeout;
  private final ArrayDeque<ConnectCallback> waiting = new ArrayDeque<>();
  private Channel channel;
  private State state = State.CONNECTING;
  private Throwable failure;
  private ScheduledFuture<?> settingsTimeout;
  private long maxStreams = Long.MAX_VALUE;
  private int openStreams;
  private long streamsOpened;
  private long idleSinceNanos;

  MultiplexedConnection(
      UpstreamPool pool,
      ProxyStats stats,
      UpstreamAddress address,
      Duration connectTimeout,
      Duration idleTimeout) {
    this.pool = pool;
    this.stats = stats;
    this.address = address;
    this.connectTimeout = connectTimeout;
    this.idleTimeout = idleTimeout;
  }

  UpstreamAddress address() {
    return address;
  }

  /** Whether a stream can be opened now. */
  boolean hasRoom() {
    return state == State.READY && channel.isActive() && openStreams < maxStreams;
  }

  /**
   * Whether requests may wait for this connection: it has not yet said how many streams it takes.
   */
  boolean connecting() {
    return state == State.CONNECTING;
  }

  /** Queues {@code callback} for a stream once the upstream's SETTINGS arrive. */
  void await(ConnectCallback callback) {
    waiting.add(callback);
  }

  /** The TCP connection is up; the upstream's SETTINGS must follow within the connect timeout. */
  void connected() {
    settingsTimeout =
        channel
            .eventLoop()
            .schedule(
                () -> {
                  if (state == State.CONNECTING) {
                    fail(
                        new ConnectTimeoutException(
                            "no HTTP/2 SETTINGS from the upstream within "
                                + connectTimeout.toMillis()
                                + " ms (does it speak h2c with prior knowledge?)"));
                  }
                },
                Math.max(1, connectTimeout.toMillis()),
                TimeUnit.MILLISECONDS);
  }

  /** The TCP connection could not be made, or the connection failed before it was ready. */
  void fail(Throwable cause) {
    if (failure == null) {
      failure = cause;
    }
    ConnectCallback callback;
    while ((callback = waiting.poll()) != null) {
      callback.connectFailed(cause);
    }
    if (channel != null) {
      channel.close();
    }
  }

  boolean idleExpired(long nowNanos) {
    return state == State.READY
        && openStreams == 0
        && nowNanos - idleSinceNanos >= idleTimeout.toNanos();
  }

  void close() {
    channel.close();
  }

  /** Opens a stream for {@code callback}; only when {@link #hasRoom()}. */
  void open(ConnectCallback callback) {
    openStreams++;
    boolean reused = streamsOpened++ > 0;
    UpstreamConnection stream = new UpstreamConnection(pool, address, 0, UpstreamProtocol.HTTP2);
    if (reused) {
      stream.markReused();
    }
    new Http2StreamChannelBootstrap(channel)
        .handler(
            new ChannelInitializer<Http2StreamChannel>() {
              @Override
              protected void initChannel(Http2StreamChannel child) {
                child
                    .pipeline()
                    .addLast("codec", new Http2StreamFrameToHttpObjectCodec(false, true))
                    .addLast("connection", stream);
              }
            })
        .open()
        .addListener(
            (Future<Http2StreamChannel> opened) -> {
              if (opened.isSuccess()) {
                stats.upstreamStreamOpened();
                opened.getNow().closeFuture().addListener(closed -> streamEnded());
                callback.connected(stream);
              } else {
                streamEnded();
                callback.connectFailed(opened.cause());
              }
            });
  }

  private void streamEnded() {
    openStreams--;
    if (openStreams == 0) {
      idleSinceNanos = System.nanoTime();
      if (state == State.DRAINING) {
        channel.close();
      }
    }
  }

  /** Serves the waiting requests while there is room; the rest go to another connection. */
  private void serveWaiting() {
    while (!waiting.isEmpty() && hasRoom()) {
      open(waiting.poll());
    }
    if (!waiting.isEmpty()) {
      List<ConnectCallback> rest = new ArrayList<>(waiting);
      waiting.clear();
      for (ConnectCallback callback : rest) {
        pool.openStream(address, connectTimeout, idleTimeout, callback);
      }
    }
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    channel = ctx.channel();
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    // The codec has sent the preface; a stream window update with no stream raises the
    // connection's window (the protocol starts every connection at 64 KiB).
    int increment = pool.windows().connectionIncrement();
    if (increment > 0) {
      ctx.writeAndFlush(new DefaultHttp2WindowUpdateFrame(increment));
    }
    ctx.fireChannelActive();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    try {
      switch (msg) {
        case Http2SettingsFrame settings -> onSettings(settings);
        case Http2GoAwayFrame goAway -> onGoAway();
        default -> {} // PING and SETTINGS acknowledgements are answered by the codec
      }
    } finally {
      ReferenceCountUtil.release(msg);
    }
  }

  private void onSettings(Http2SettingsFrame frame) {
    Long limit = frame.settings().maxConcurrentStreams();
    if (limit != null) {
      maxStreams = limit;
    }
    if (state == State.CONNECTING) {
      state = State.READY;
      idleSinceNanos = System.nanoTime();
      if (settingsTimeout != null) {
        settingsTimeout.cancel(false);
      }
    }
    serveWaiting();
  }

  private void onGoAway() {
    if (state == State.CLOSED) {
      return;
    }
    state = State.DRAINING; // streams above its last stream id are closed by the codec
    if (openStreams == 0) {
      channel.close();
    }
    serveWaiting();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    boolean neverReady = state == State.CONNECTING;
    state = State.CLOSED;
    if (settingsTimeout != null) {
      settingsTimeout.cancel(false);
    }
    pool.forget(this);
    if (neverReady || !waiting.isEmpty()) {
      fail(
          failure != null
              ? failure
              : new IOException("upstream closed the connection before its HTTP/2 SETTINGS"));
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (failure == null) {
      failure = cause;
    }
    ctx.close(); // waiting requests and open streams learn of it as the channels close
  }

  /** Streams pushed by the upstream are refused in SETTINGS; any that arrive are closed. */
  @Sharable
  static final class RefusePushes extends ChannelInboundHandlerAdapter {
    static final RefusePushes INSTANCE = new RefusePushes();

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
      ctx.close();
    }
  }
}
