package dev.firemesh.proxy.tcp;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.timeout.IdleStateEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One direction of a spliced pair of connections, installed on each of the two: what this channel
 * reads is written to the peer as it is, the same buffer (ownership passes with the write).
 *
 * <ul>
 *   <li>Back-pressure: when the peer stops being writable this channel stops reading, and reads
 *       again when the peer drains (the peer's own splice sees its writability change).
 *   <li>Half-close: when this channel's input ends (FIN), the peer's output is shut once what was
 *       written is flushed; the other direction keeps going. When both directions have ended, both
 *       channels close.
 *   <li>Idle (the channel's {@code IdleStateHandler}), error or close on either side closes both,
 *       after flushing what the closing side had written.
 * </ul>
 *
 * Both channels must allow half-closure ({@code ChannelOption.ALLOW_HALF_CLOSURE}) and be on the
 * same event loop, so that no state here is shared between threads.
 */
final class Splice extends ChannelInboundHandlerAdapter {

  private static final Logger log = LoggerFactory.getLogger(Splice.class);

  private final Channel peer;

  Splice(Channel peer) {
    this.peer = peer;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    peer.write(msg, peer.voidPromise());
    if (!peer.isWritable()) {
      ctx.channel().config().setAutoRead(false);
    }
  }

  @Override
  public void channelReadComplete(ChannelHandlerContext ctx) {
    peer.flush();
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    // This channel drained (or filled): the peer, which writes into it, may read again.
    if (ctx.channel().isWritable()) {
      peer.config().setAutoRead(true);
    }
    ctx.fireChannelWritabilityChanged();
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt instanceof ChannelInputShutdownEvent) {
      Channel self = ctx.channel();
      peer.writeAndFlush(Unpooled.EMPTY_BUFFER)
          .addListener(
              written -> {
                if (peer instanceof DuplexChannel duplex && duplex.isActive()) {
                  duplex.shutdownOutput().addListener(shut -> closeIfBothEnded(self, duplex));
                } else {
                  self.close();
                }
              });
      return;
    }
    if (evt instanceof IdleStateEvent) {
      ctx.close();
      peer.close();
      return;
    }
    ctx.fireUserEventTriggered(evt);
  }

  /** Both directions ended: this side's input and the peer's input (hence our output) are shut. */
  private static void closeIfBothEnded(Channel self, DuplexChannel peer) {
    if (self instanceof DuplexChannel duplex
        && duplex.isOutputShutdown()
        && peer.isInputShutdown()) {
      self.close();
      peer.close();
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (peer.isActive()) {
      peer.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
    }
    ctx.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    log.debug(
        "tunnel connection failed local={} remote={}",
        ctx.channel().localAddress(),
        ctx.channel().remoteAddress(),
        cause);
    ctx.close();
  }
}
