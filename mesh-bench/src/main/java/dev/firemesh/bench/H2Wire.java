package dev.firemesh.bench;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http2.AbstractHttp2ConnectionHandlerBuilder;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.handler.codec.http2.Http2Connection;
import io.netty.handler.codec.http2.Http2ConnectionDecoder;
import io.netty.handler.codec.http2.Http2ConnectionEncoder;
import io.netty.handler.codec.http2.Http2ConnectionHandler;
import io.netty.handler.codec.http2.Http2EventAdapter;
import io.netty.handler.codec.http2.Http2Exception;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2Stream;

/**
 * An HTTP/2 connection over cleartext with prior knowledge: each request is a new stream (HEADERS,
 * then the payload as DATA with END_STREAM) keyed by its stream id halved, and is answered when the
 * response's END_STREAM arrives, in any order. Built directly on {@link Http2ConnectionHandler}
 * rather than child channels per stream, so a request costs Netty's stream state and no more.
 *
 * <p>The peer's {@code SETTINGS_MAX_CONCURRENT_STREAMS} caps the requests in flight below the
 * plan's limit; a GOAWAY stops new streams, and the connection closes (and its exchange reconnects)
 * once those in flight are done.
 */
final class H2Wire extends Http2ConnectionHandler implements Wire {

  /** Per-stream receive window: an echo of a large payload should not wait for WINDOW_UPDATEs. */
  static final int STREAM_WINDOW = 1 << 20;

  /** Receive window of the whole connection. */
  static final int CONNECTION_WINDOW = 16 << 20;

  private final ScheduledExchange exchange;
  private final Http2Headers headers;
  private final ByteBuf payload;
  private ChannelHandlerContext ctx;
  private boolean closing;

  private H2Wire(
      Http2ConnectionDecoder decoder,
      Http2ConnectionEncoder encoder,
      Http2Settings settings,
      ScheduledExchange exchange,
      Http2Headers headers,
      ByteBuf payload) {
    super(decoder, encoder, settings);
    this.exchange = exchange;
    this.headers = headers;
    this.payload = payload;
  }

  /** A client connection sending {@code headers} and {@code payload} as each request. */
  static H2Wire create(ScheduledExchange exchange, Http2Headers headers, ByteBuf payload) {
    return new Builder(exchange, headers, payload).build();
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) throws Exception {
    this.ctx = ctx;
    super.handlerAdded(ctx);
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) throws Exception {
    super.channelActive(ctx); // writes the preface and our SETTINGS
    widenConnectionWindow(connection());
    flush(ctx);
    exchange.connected(this);
  }

  static void widenConnectionWindow(Http2Connection connection) throws Http2Exception {
    Http2Stream connectionStream = connection.connectionStream();
    int current = connection.local().flowController().windowSize(connectionStream);
    if (current < CONNECTION_WINDOW) {
      connection
          .local()
          .flowController()
          .incrementWindowSize(connectionStream, CONNECTION_WINDOW - current);
    }
  }

  @Override
  public boolean canSend() {
    return !closing
        && ctx.channel().isActive()
        && !connection().goAwayReceived()
        && connection().local().canOpenStream();
  }

  @Override
  public boolean draining() {
    return closing || connection().goAwayReceived();
  }

  @Override
  public long reserve() {
    int streamId = connection().local().incrementAndGetNextStreamId();
    return streamId < 0 ? -1 : streamId >>> 1;
  }

  @Override
  public void write(long key) {
    int streamId = (int) (key << 1) + 1;
    boolean body = payload.isReadable();
    encoder().writeHeaders(ctx, streamId, headers, 0, !body, ctx.voidPromise());
    if (connection().stream(streamId) == null) {
      exchange.ended(this, key); // refused before it opened: no stream will close to say so
      return;
    }
    if (body) {
      encoder().writeData(ctx, streamId, payload.retainedDuplicate(), 0, true, ctx.voidPromise());
    }
  }

  @Override
  public void flush() {
    flush(ctx);
  }

  @Override
  public void close() {
    closing = true;
    ctx.channel().close(); // through this handler, which sends GOAWAY first
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    closing = true;
    super.channelInactive(ctx); // closes every stream, each one reported to the exchange
    exchange.disconnected(this);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) throws Exception {
    if (Http2CodecUtil.getEmbeddedHttp2Exception(cause) != null) {
      super.exceptionCaught(ctx, cause); // HTTP/2's own errors: RST_STREAM or GOAWAY as they need
    } else {
      ctx.close(); // a socket error (reset by peer): the connection is gone, nothing to tell it
    }
  }

  private void answered(int streamId) {
    exchange.answered(this, streamId >>> 1);
  }

  private final class Events extends Http2EventAdapter {
    @Override
    public void onHeadersRead(
        ChannelHandlerContext ctx,
        int streamId,
        Http2Headers responseHeaders,
        int padding,
        boolean endOfStream) {
      CharSequence status = responseHeaders.status();
      if (status != null) {
        int code = code(status);
        if (code < 100 || code >= 200) { // informational answers come before the real one
          exchange.status(H2Wire.this, streamId >>> 1, code);
        }
      }
      if (endOfStream) {
        answered(streamId);
      }
    }

    @Override
    public void onHeadersRead(
        ChannelHandlerContext ctx,
        int streamId,
        Http2Headers responseHeaders,
        int streamDependency,
        short weight,
        boolean exclusive,
        int padding,
        boolean endOfStream) {
      onHeadersRead(ctx, streamId, responseHeaders, padding, endOfStream);
    }

    @Override
    public int onDataRead(
        ChannelHandlerContext ctx, int streamId, ByteBuf data, int padding, boolean endOfStream) {
      if (endOfStream) {
        answered(streamId);
      }
      return data.readableBytes() + padding; // consumed: the window is given back
    }

    @Override
    public void onGoAwayRead(
        ChannelHandlerContext ctx, int lastStreamId, long errorCode, ByteBuf debugData) {
      exchange.roomFreed(H2Wire.this); // closes at once if nothing is in flight
    }

    @Override
    public void onStreamClosed(Http2Stream stream) {
      // a stream that closed without its response's END_STREAM (reset, GOAWAY, lost connection)
      exchange.ended(H2Wire.this, stream.id() >>> 1);
    }
  }

  private static int code(CharSequence status) {
    try {
      return HttpResponseStatus.parseLine(status).code();
    } catch (IllegalArgumentException e) {
      return 0;
    }
  }

  private static final class Builder
      extends AbstractHttp2ConnectionHandlerBuilder<H2Wire, Builder> {
    private final ScheduledExchange exchange;
    private final Http2Headers headers;
    private final ByteBuf payload;

    Builder(ScheduledExchange exchange, Http2Headers headers, ByteBuf payload) {
      this.exchange = exchange;
      this.headers = headers;
      this.payload = payload;
      server(false);
      initialSettings(
          Http2Settings.defaultSettings().pushEnabled(false).initialWindowSize(STREAM_WINDOW));
      // on close, what is in flight has been counted already: no grace period to wait for
      gracefulShutdownTimeoutMillis(0);
    }

    @Override
    protected H2Wire build() {
      return super.build();
    }

    @Override
    protected H2Wire build(
        Http2ConnectionDecoder decoder, Http2ConnectionEncoder encoder, Http2Settings settings) {
      H2Wire wire = new H2Wire(decoder, encoder, settings, exchange, headers, payload);
      Events events = wire.new Events();
      frameListener(events);
      wire.connection().addListener(events);
      return wire;
    }
  }
}
