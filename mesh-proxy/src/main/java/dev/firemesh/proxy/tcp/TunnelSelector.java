package dev.firemesh.proxy.tcp;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * First on an inbound connection: a connection that starts with {@code CONNECT } is a tunnel from a
 * peer sidecar and goes to a {@link TunnelAcceptor} in place of the handler named {@code next};
 * anything else goes on to {@code next} (the HTTP protocol selector) with the bytes read so far.
 * The HTTP/1.1 stack would refuse CONNECT (501), so no HTTP request is taken from it.
 */
public final class TunnelSelector extends ByteToMessageDecoder {

  private static final byte[] CONNECT = "CONNECT ".getBytes(StandardCharsets.US_ASCII);

  private final InboundTunnels tunnels;
  private final String next;

  /**
   * @param next the name of the handler a tunnel replaces
   */
  public TunnelSelector(InboundTunnels tunnels, String next) {
    this.tunnels = tunnels;
    this.next = next;
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    int readable = Math.min(in.readableBytes(), CONNECT.length);
    int start = in.readerIndex();
    for (int i = 0; i < readable; i++) {
      if (in.getByte(start + i) != CONNECT[i]) {
        ctx.pipeline().remove(this);
        return;
      }
    }
    if (readable == CONNECT.length) {
      ctx.pipeline().replace(next, "tunnel", new TunnelAcceptor(tunnels));
      ctx.pipeline().remove(this); // what was read goes on to the acceptor
    }
  }
}
