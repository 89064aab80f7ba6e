package dev.firemesh.proxy.tls;

import dev.firemesh.proxy.http.CallerIdentity;
import dev.firemesh.proxy.http.RequestHead;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * The inbound side's caller: on an mTLS connection, the service of the peer's verified SPIFFE ID
 * replaces whatever {@link CallerIdentity#HEADER} said, before rate limits and the application see
 * it; so over TLS the application can trust the header. On a plaintext connection (permissive mode)
 * the header is left as the peer wrote it and proves nothing.
 */
@Sharable
public final class VerifiedCaller extends ChannelInboundHandlerAdapter {
  public static final VerifiedCaller INSTANCE = new VerifiedCaller();

  private VerifiedCaller() {}

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof RequestHead head) {
      PeerIdentity.service(ctx.channel())
          .ifPresent(service -> head.request().headers().set(CallerIdentity.HEADER, service));
    }
    ctx.fireChannelRead(msg);
  }
}
