package dev.firemesh.bench;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http2.AbstractHttp2ConnectionHandlerBuilder;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2CodecUtil;
import io.netty.handler.codec.http2.Http2Connection;
import io.netty.handler.codec.http2.Http2ConnectionDecoder;
import io.netty.handler.codec.http2.Http2ConnectionEncoder;
import io.netty.handler.codec.http2.Http2ConnectionHandler;
import io.netty.handler.codec.http2.Http2EventAdapter;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2Stream;
import java.util.concurrent.atomic.LongAdder;

/**
 * The {@link EchoServer}'s HTTP/2 side: answers each stream with 200 and the request's body (kept
 * per stream until its END_STREAM), or a fixed one. With {@code closeEvery} N, the connection shuts
 * down gracefully after every Nth answer: GOAWAY, the streams already open are answered, then it
 * closes, as a proxy recycling connections does.
 */
final class H2Echo extends Http2ConnectionHandler {
  private final EchoBody body;
  private final ByteBuf fixed;
  private final StallClock clock;
  private final int closeEvery;
  private final LongAdder written;
  private final Http2Connection.PropertyKey bodyKey;
  private ChannelHandlerContext ctx;
  private StallGate<Answer> gate;
  private long answered;

  /** A response ready to write: ownership of {@code body} goes with it. */
  private record Answer(int streamId, ByteBuf body) {}

  private H2Echo(
      Http2ConnectionDecoder decoder,
      Http2ConnectionEncoder encoder,
      Http2Settings settings,
      EchoBody body,
      ByteBuf fixed,
      StallClock clock,
      int closeEvery,
      LongAdder written) {
    super(decoder, encoder, settings);
    this.body = body;
    this.fixed = fixed;
    this.clock = clock;
    this.closeEvery = closeEvery;
    this.written = written;
    this.bodyKey = connection().newKey();
  }

  static H2Echo create(
      EchoBody body, ByteBuf fixed, StallClock clock, int closeEvery, LongAdder written) {
    return new Builder(body, fixed, clock, closeEvery, written).build();
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) throws Exception {
    this.ctx = ctx;
    this.gate = new StallGate<>(clock, ctx.executor(), this::write);
    super.handlerAdded(ctx); // added to an active channel: sends our preface now
    H2Wire.widenConnectionWindow(connection());
  }

  private void request(int streamId, ByteBuf data, boolean endOfStream) {
    Http2Stream stream = connection().stream(streamId);
    if (stream == null) {
      return;
    }
    if (body instanceof EchoBody.Echo && data.isReadable()) {
      CompositeByteBuf received = stream.getProperty(bodyKey);
      if (received == null) {
        received = ctx.alloc().compositeBuffer();
        stream.setProperty(bodyKey, received);
      }
      received.addComponent(true, data.retain());
    }
    if (!endOfStream) {
      return;
    }
    ByteBuf content;
    if (body instanceof EchoBody.Echo) {
      ByteBuf received = stream.removeProperty(bodyKey);
      content = received != null ? received : Unpooled.EMPTY_BUFFER;
    } else {
      content = fixed.duplicate();
    }
    gate.pass(new Answer(streamId, content));
  }

  private void write(Answer answer) {
    if (connection().stream(answer.streamId()) == null) {
      answer.body().release(); // reset while it was held
      return;
    }
    int length = answer.body().readableBytes();
    Http2Headers headers =
        new DefaultHttp2Headers()
            .status(HttpResponseStatus.OK.codeAsText())
            .set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_OCTET_STREAM)
            .setInt(HttpHeaderNames.CONTENT_LENGTH, length);
    encoder().writeHeaders(ctx, answer.streamId(), headers, 0, length == 0, ctx.newPromise());
    if (length > 0) {
      encoder().writeData(ctx, answer.streamId(), answer.body(), 0, true, ctx.newPromise());
    } else {
      answer.body().release();
    }
    flush(ctx);
    written.increment();
    answered++;
    if (closeEvery > 0 && answered % closeEvery == 0) {
      ctx.channel().close(); // through this handler: GOAWAY, then close once streams are done
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    gate.discard(answer -> answer.body().release());
    super.channelInactive(ctx);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) throws Exception {
    if (Http2CodecUtil.getEmbeddedHttp2Exception(cause) != null) {
      super.exceptionCaught(ctx, cause); // HTTP/2's own errors: RST_STREAM or GOAWAY as they need
    } else {
      ctx.close(); // a socket error (reset by peer): the connection is gone, nothing to tell it
    }
  }

  private final class Events extends Http2EventAdapter {
    @Override
    public void onHeadersRead(
        ChannelHandlerContext ctx,
        int streamId,
        Http2Headers headers,
        int padding,
        boolean endOfStream) {
      if (endOfStream) {
        request(streamId, Unpooled.EMPTY_BUFFER, true);
      }
    }

    @Override
    public void onHeadersRead(
        ChannelHandlerContext ctx,
        int streamId,
        Http2Headers headers,
        int streamDependency,
        short weight,
        boolean exclusive,
        int padding,
        boolean endOfStream) {
      onHeadersRead(ctx, streamId, headers, padding, endOfStream);
    }

    @Override
    public int onDataRead(
        ChannelHandlerContext ctx, int streamId, ByteBuf data, int padding, boolean endOfStream) {
      request(streamId, data, endOfStream);
      return data.readableBytes() + padding;
    }

    @Override
    public void onStreamClosed(Http2Stream stream) {
      ByteBuf received = stream.removeProperty(bodyKey);
      if (received != null) {
        received.release(); // reset before its END_STREAM
      }
    }
  }

  private static final class Builder
      extends AbstractHttp2ConnectionHandlerBuilder<H2Echo, Builder> {
    private final EchoBody body;
    private final ByteBuf fixed;
    private final StallClock clock;
    private final int closeEvery;
    private final LongAdder written;

    Builder(EchoBody body, ByteBuf fixed, StallClock clock, int closeEvery, LongAdder written) {
      this.body = body;
      this.fixed = fixed;
      this.clock = clock;
      this.closeEvery = closeEvery;
      this.written = written;
      server(true);
      initialSettings(Http2Settings.defaultSettings().initialWindowSize(H2Wire.STREAM_WINDOW));
    }

    @Override
    protected H2Echo build() {
      return super.build();
    }

    @Override
    protected H2Echo build(
        Http2ConnectionDecoder decoder, Http2ConnectionEncoder encoder, Http2Settings settings) {
      H2Echo echo = new H2Echo(decoder, encoder, settings, body, fixed, clock, closeEvery, written);
      Events events = echo.new Events();
      frameListener(events);
      echo.connection().addListener(events);
      return echo;
    }
  }
}
