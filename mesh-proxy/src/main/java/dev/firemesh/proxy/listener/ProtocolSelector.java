package dev.firemesh.proxy.listener;

import dev.firemesh.proxy.forward.Drain;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.timeout.IdleStateEvent;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Consumer;

/**
 * Chooses a new connection's protocol from its first bytes, then gets out of the way: the HTTP/2
 * connection preface ({@code PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n}, RFC 9113 section 3.4) selects
 * HTTP/2, anything else HTTP/1.1. This is no protocol sniffing: HTTP clients speak first, and the
 * preface cannot begin a valid HTTP/1.1 request, so the first byte that differs from it decides.
 * The bytes read so far go on to the chosen pipeline.
 */
final class ProtocolSelector extends ByteToMessageDecoder {

  static final byte[] PREFACE =
      "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

  private final Consumer<ChannelPipeline> http1;
  private final Consumer<ChannelPipeline> http2;

  /**
   * @param http1 adds the HTTP/1.1 handlers after this one
   * @param http2 adds the HTTP/2 handlers after this one
   */
  ProtocolSelector(Consumer<ChannelPipeline> http1, Consumer<ChannelPipeline> http2) {
    this.http1 = http1;
    this.http2 = http2;
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    int readable = Math.min(in.readableBytes(), PREFACE.length);
    int start = in.readerIndex();
    for (int i = 0; i < readable; i++) {
      if (in.getByte(start + i) != PREFACE[i]) {
        select(ctx, http1);
        return;
      }
    }
    if (readable == PREFACE.length) {
      select(ctx, http2);
    }
  }

  private void select(ChannelHandlerContext ctx, Consumer<ChannelPipeline> protocol) {
    protocol.accept(ctx.pipeline());
    // Removing a decoder hands what it has accumulated to the handler after it.
    ctx.pipeline().remove(this);
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
    if (evt instanceof IdleStateEvent || evt == Drain.Phase.CLOSING) {
      ctx.close(); // a connection that never sent a request
      return;
    }
    super.userEventTriggered(ctx, evt);
  }
}
