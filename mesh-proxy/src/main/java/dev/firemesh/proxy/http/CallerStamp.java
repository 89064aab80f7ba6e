package dev.firemesh.proxy.http;

import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * The outbound listener's caller identity: every request leaving for a peer says which service sent
 * it ({@link CallerIdentity#HEADER}), with this sidecar's service name in place of whatever the
 * application wrote, so an application cannot pass itself off as another. A sidecar that knows no
 * service name removes the header (the callee then sees the caller as unknown).
 */
@Sharable
public final class CallerStamp extends ChannelInboundHandlerAdapter {
  private final String service;

  /**
   * @param service this sidecar's service; empty if it has none
   */
  public CallerStamp(String service) {
    this.service = service;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof RequestHead head) {
      if (service.isEmpty()) {
        head.request().headers().remove(CallerIdentity.HEADER);
      } else {
        head.request().headers().set(CallerIdentity.HEADER, service);
      }
    }
    ctx.fireChannelRead(msg);
  }
}
