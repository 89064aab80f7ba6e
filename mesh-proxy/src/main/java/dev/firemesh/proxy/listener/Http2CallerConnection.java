package dev.firemesh.proxy.listener;

import dev.firemesh.proxy.forward.Drain;
import dev.firemesh.proxy.http.FlowControlWindows;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http2.DefaultHttp2GoAwayFrame;
import io.netty.handler.codec.http2.DefaultHttp2WindowUpdateFrame;
import io.netty.handler.codec.http2.Http2ConnectionAdapter;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.codec.http2.Http2Stream;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connection-level end of a caller's HTTP/2 connection, after the stream multiplexer: raises
 * the connection's receive window, closes the connection (with GOAWAY) when it idles with no stream
 * open, and drops connection frames the codec has already acted on.
 */
final class Http2CallerConnection extends ChannelInboundHandlerAdapter {

  private static final Logger log = LoggerFactory.getLogger(Http2CallerConnection.class);

  private final Http2FrameCodec codec;
  private final FlowControlWindows windows;
  private final String listener;
  private final Drain drain;
  private boolean goneAway;

  Http2CallerConnection(
      Http2FrameCodec codec, FlowControlWindows windows, String listener, Drain drain) {
    this.codec = codec;
    this.windows = windows;
    this.listener = listener;
    this.drain = drain;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    // Added to an active connection, after the codec sent its SETTINGS: a window update with no
    // stream raises the connection's window from the protocol's 64 KiB.
    if (windows.connectionIncrement() > 0) {
      ctx.writeAndFlush(new DefaultHttp2WindowUpdateFrame(windows.connectionIncrement()));
    }
    if (drain.announced()) {
      goAway(ctx); // accepted while the sidecar drains: serve what comes, but send nothing new
    }
    if (drain.phase() == Drain.Phase.CLOSING) {
      closeWhenNoStreams(ctx);
    }
  }

  /**
   * GOAWAY naming the highest possible last stream: the caller opens no new stream here but nothing
   * it already sent is refused (the first of the two GOAWAYs of RFC 9113 section 6.8).
   */
  private void goAway(ChannelHandlerContext ctx) {
    if (!goneAway) {
      goneAway = true;
      ctx.writeAndFlush(
          new DefaultHttp2GoAwayFrame(Http2Error.NO_ERROR).setExtraStreamIds(Integer.MAX_VALUE));
    }
  }

  private void closeWhenNoStreams(ChannelHandlerContext ctx) {
    if (codec.connection().numActiveStreams() == 0) {
      ctx.close();
      return;
    }
    codec
        .connection()
        .addListener(
            new Http2ConnectionAdapter() {
              @Override
              public void onStreamClosed(Http2Stream stream) {
                if (codec.connection().numActiveStreams() == 0) {
                  // after the stream's last frame is written: close on the next loop turn
                  ctx.executor().execute(ctx::close);
                }
              }
            });
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    ReferenceCountUtil.release(msg); // SETTINGS, PING, GOAWAY: answered by the codec
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt == Drain.Phase.ANNOUNCED) {
      goAway(ctx);
      return;
    }
    if (evt == Drain.Phase.CLOSING) {
      goAway(ctx);
      closeWhenNoStreams(ctx);
      return;
    }
    if (evt instanceof IdleStateEvent) {
      if (codec.connection().numActiveStreams() == 0) {
        ctx.close(); // a connection with a stream open is never idle-closed
      }
      return;
    }
    ReferenceCountUtil.release(evt);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    log.debug(
        "caller HTTP/2 connection failed listener={} remote={}",
        listener,
        ctx.channel().remoteAddress(),
        cause);
    ctx.close();
  }
}
