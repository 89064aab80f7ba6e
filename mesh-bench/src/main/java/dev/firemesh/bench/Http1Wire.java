package dev.firemesh.bench;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;

/**
 * An HTTP/1.1 connection (after an {@code HttpClientCodec}): requests are keyed by a sequence
 * number and answered in order. A response with {@code Connection: close} is an answer like any
 * other; the connection then closes and its exchange reconnects.
 */
final class Http1Wire extends SimpleChannelInboundHandler<HttpObject> implements Wire {

  private final ScheduledExchange exchange;
  private final String path;
  private final HttpHeaders headers;
  private final ByteBuf payload;
  private ChannelHandlerContext ctx;
  private long nextKey;
  private long answerKey;
  private boolean keepAlive = true;
  private boolean closing;

  Http1Wire(ScheduledExchange exchange, String path, HttpHeaders headers, ByteBuf payload) {
    this.exchange = exchange;
    this.path = path;
    this.headers = headers;
    this.payload = payload;
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    exchange.connected(this);
    ctx.fireChannelActive();
  }

  @Override
  public boolean canSend() {
    return !closing && ctx.channel().isActive();
  }

  @Override
  public boolean draining() {
    return closing;
  }

  @Override
  public long reserve() {
    return nextKey++;
  }

  @Override
  public void write(long key) {
    ctx.write(
        new DefaultFullHttpRequest(
            HttpVersion.HTTP_1_1,
            HttpMethod.POST,
            path,
            payload.retainedDuplicate(),
            headers,
            EmptyHttpHeaders.INSTANCE),
        ctx.voidPromise());
  }

  @Override
  public void flush() {
    ctx.flush();
  }

  @Override
  public void close() {
    closing = true;
    ctx.close();
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, HttpObject msg) {
    if (answerKey >= nextKey) {
      return; // nothing asked: not ours to count
    }
    if (msg instanceof HttpResponse response) {
      boolean decoded = response.decoderResult().isSuccess();
      exchange.status(this, answerKey, decoded ? response.status().code() : 0);
      keepAlive = decoded && HttpUtil.isKeepAlive(response);
    }
    if (msg instanceof LastHttpContent) {
      exchange.answered(this, answerKey++);
      if (!keepAlive) {
        // the server closes after this answer: what was pipelined behind it is lost
        close();
      }
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    closing = true;
    exchange.disconnected(this);
    ctx.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    close(); // channelInactive accounts for what was in flight
  }
}
