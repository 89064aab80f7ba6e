package dev.firemesh.proxy.listener;

import dev.firemesh.proxy.http.FlowControlWindows;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http2.DefaultHttp2WindowUpdateFrame;
import io.netty.handler.codec.http2.Http2FrameCodec;
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

  Http2CallerConnection(Http2FrameCodec codec, FlowControlWindows windows, String listener) {
    this.codec = codec;
    this.windows = windows;
    this.listener = listener;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    // Added to an active connection, after the codec sent its SETTINGS: a window update with no
    // stream raises the connection's window from the protocol's 64 KiB.
    if (windows.connectionIncrement() > 0) {
      ctx.writeAndFlush(new DefaultHttp2WindowUpdateFrame(windows.connectionIncrement()));
    }
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    ReferenceCountUtil.release(msg); // SETTINGS, PING, GOAWAY: answered by the codec
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
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
