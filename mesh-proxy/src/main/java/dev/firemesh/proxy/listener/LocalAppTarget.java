package dev.firemesh.proxy.listener;

import dev.firemesh.proxy.forward.RoutedRequest;
import dev.firemesh.proxy.forward.Target;
import dev.firemesh.proxy.http.RequestHead;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/** The inbound listener's target decision: every request goes to the local application. */
@Sharable
final class LocalAppTarget extends ChannelInboundHandlerAdapter {
  private final Target app;

  LocalAppTarget(Target app) {
    this.app = app;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    ctx.fireChannelRead(msg instanceof RequestHead head ? new RoutedRequest(head, app) : msg);
  }
}
