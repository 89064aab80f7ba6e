package dev.firemesh.proxy.http;

import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpRequest;

/**
 * First after an HTTP/2 stream's codec, it makes the stream's request look like what the HTTP/1.1
 * decoder hands on, so that every handler after it serves both protocols:
 *
 * <ul>
 *   <li>the {@code x-http2-*} headers the codec adds (stream id, scheme) are removed, so that
 *       validation counts and routing see only what the caller sent;
 *   <li>a request that ended with its HEADERS frame (the codec makes it one full request) becomes a
 *       head followed by its last, empty piece, as the HTTP/1.1 decoder always sends.
 * </ul>
 *
 * The codec has already refused what HTTP/2 forbids (connection-specific headers, {@code TE} other
 * than {@code trailers}, upper-case names, bad pseudo-headers, a Content-Length the DATA frames
 * contradict): such a stream is reset with PROTOCOL_ERROR. A header list over the limit is answered
 * 431 by the codec.
 */
@Sharable
public final class StreamHeaders extends ChannelInboundHandlerAdapter {

  public static final StreamHeaders INSTANCE = new StreamHeaders();

  private StreamHeaders() {}

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof FullHttpRequest full) {
      HopByHopHeaders.stripStreamHeaders(full.headers());
      ctx.fireChannelRead(
          new DefaultHttpRequest(
              full.protocolVersion(), full.method(), full.uri(), full.headers()));
      ctx.fireChannelRead(new DefaultLastHttpContent(full.content(), full.trailingHeaders()));
      return;
    }
    if (msg instanceof HttpRequest request) {
      HopByHopHeaders.stripStreamHeaders(request.headers());
    }
    ctx.fireChannelRead(msg);
  }
}
