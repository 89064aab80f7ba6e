package dev.firemesh.bench;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import java.util.concurrent.atomic.LongAdder;

/**
 * The {@link EchoServer}'s HTTP/1.1 side (after a codec, a keep-alive handler and an aggregator):
 * answers each request with 200 and its body, or a fixed one. With {@code closeEvery} N, every Nth
 * answer says {@code Connection: close} and the keep-alive handler closes the connection after it.
 */
final class Http1Echo extends SimpleChannelInboundHandler<FullHttpRequest> {
  private final EchoBody body;
  private final ByteBuf fixed;
  private final StallClock clock;
  private final int closeEvery;
  private final LongAdder written;
  private StallGate<FullHttpResponse> gate;
  private long answered;

  Http1Echo(EchoBody body, ByteBuf fixed, StallClock clock, int closeEvery, LongAdder written) {
    this.body = body;
    this.fixed = fixed;
    this.clock = clock;
    this.closeEvery = closeEvery;
    this.written = written;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    gate =
        new StallGate<>(
            clock,
            ctx.executor(),
            response -> {
              ctx.writeAndFlush(response);
              written.increment();
            });
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
    ByteBuf content =
        body instanceof EchoBody.Echo ? request.content().retain() : fixed.duplicate();
    FullHttpResponse response =
        new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK, content);
    response
        .headers()
        .set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_OCTET_STREAM)
        .setInt(HttpHeaderNames.CONTENT_LENGTH, content.readableBytes());
    answered++;
    if (closeEvery > 0 && answered % closeEvery == 0) {
      HttpUtil.setKeepAlive(response, false);
    }
    gate.pass(response);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    gate.discard(FullHttpResponse::release); // ours to release: they will never be written
    ctx.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    ctx.close();
  }
}
