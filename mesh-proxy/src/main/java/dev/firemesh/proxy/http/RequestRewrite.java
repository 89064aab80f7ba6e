package dev.firemesh.proxy.http;

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
 * hop-by-hop headers go, forwarding headers and a request id are added.
 */
public final class RequestRewrite extends ChannelInboundHandlerAdapter {

  private final String via;
  private String peerAddress;

  /**
   * @param via this hop's {@code Via} member, such as {@code 1.1 firemesh}
   */
  public RequestRewrite(String via) {
    this.via = via;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof RequestHead head) {
      if (peerAddress == null) {
        peerAddress =
            peerAddress(ctx.channel().remoteAddress()); // an HTTP/2 stream: its connection's
      }
      rewrite(head.request());
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
