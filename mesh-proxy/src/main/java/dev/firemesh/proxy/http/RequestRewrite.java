package dev.firemesh.proxy.http;

import dev.firemesh.proxy.telemetry.Tracing;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

/**
 * Prepares each {@link RequestHead} for the next hop: an absolute-form target becomes origin-form
 * with its authority as the Host (RFC 9112 section 3.2.2), the version becomes HTTP/1.1, then
 * hop-by-hop headers go, forwarding headers and a request id are added, and the head becomes this
 * sidecar's hop of its trace ({@link Tracing}).
 */
public final class RequestRewrite extends ChannelInboundHandlerAdapter {

  private final String via;
  private final Tracing tracing;
  private String peerAddress;

  /**
   * @param via this hop's {@code Via} member, such as {@code 1.1 firemesh}
   * @param tracing starts each request's hop of its trace
   */
  public RequestRewrite(String via, Tracing tracing) {
    this.via = via;
    this.tracing = tracing;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof RequestHead head) {
      if (peerAddress == null) {
        peerAddress =
            peerAddress(ctx.channel().remoteAddress()); // an HTTP/2 stream: its connection's
      }
      rewrite(head.request());
      ctx.fireChannelRead(tracing.start(head.request().headers()).map(head::traced).orElse(head));
      return;
    }
    ctx.fireChannelRead(msg);
  }

  private static String peerAddress(SocketAddress remote) {
    return remote instanceof InetSocketAddress inet && inet.getAddress() != null
        ? inet.getAddress().getHostAddress()
        : "unknown";
  }

  private void rewrite(HttpRequest request) {
    if (request.protocolVersion().equals(HttpVersion.HTTP_1_0)) {
      // An HTTP/1.0 caller cannot take a 100 Continue: its expectation is ignored (RFC 9110
      // 10.1.1).
      request.headers().remove(HttpHeaderNames.EXPECT);
    }
    if (AbsoluteForm.matches(request.uri())) {
      AbsoluteForm form = AbsoluteForm.parse(request.uri());
      request.setUri(form.originForm());
      request.headers().set(HttpHeaderNames.HOST, form.authority());
    }
    request.setProtocolVersion(HttpVersion.HTTP_1_1);
    HopByHopHeaders.strip(request.headers());
    ForwardingHeaders.appendToRequest(request.headers(), peerAddress, via);
    RequestIds.ensure(request.headers());
  }
}
