package dev.firemesh.proxy.listener;

import dev.firemesh.api.path.RefusedPathException;
import dev.firemesh.api.path.RequestPaths;
import dev.firemesh.proxy.authz.AuthorizationLog;
import dev.firemesh.proxy.authz.PeerCaller;
import dev.firemesh.proxy.http.GrpcStatus;
import dev.firemesh.proxy.http.LocalReply;
import dev.firemesh.proxy.http.RequestHead;
import dev.firemesh.proxy.tcp.InboundTunnels;
import dev.firemesh.proxy.telemetry.ResponseFlag;
import dev.firemesh.traffic.authz.AccessRequest;
import dev.firemesh.traffic.authz.Authorizer;
import dev.firemesh.traffic.authz.Caller;
import dev.firemesh.traffic.authz.Decision;
import dev.firemesh.traffic.config.ClusterConfig;
import dev.firemesh.traffic.config.ServicePort;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http2.Http2StreamChannel;
import java.util.List;

/**
 * The inbound listener's authorization, first of the service's policies, before rate limits and the
 * local application. While the service has an AuthorizationPolicy, each request's path is put in
 * normal form ({@link RequestPaths}: escapes decoded, {@code //} collapsed, dot segments resolved)
 * and the request rewritten to it, so the application receives exactly the path that was
 * authorized; a path with no safe normal form is answered 400. The caller is the peer's verified
 * identity ({@link PeerCaller}); a denied request is answered 403 here (gRPC: PERMISSION_DENIED),
 * its body dropped by the exchange as for any local answer, and logged ({@link AuthorizationLog}).
 * What dry-run policies would deny passes and is logged. Without a policy, requests pass untouched.
 */
@Sharable
final class InboundAuthorization extends ChannelInboundHandlerAdapter {
  static final String DENIED = "access denied by authorization policy";

  private final InboundTunnels local;
  private final Authorizer authorizer;
  private final AuthorizationLog log;

  InboundAuthorization(InboundTunnels local) {
    this.local = local;
    this.authorizer = local.authorizer();
    this.log = local.authorizationLog();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof RequestHead head && authorizer.active()) {
      ctx.fireChannelRead(authorize(ctx, head));
      return;
    }
    ctx.fireChannelRead(msg);
  }

  private Object authorize(ChannelHandlerContext ctx, RequestHead head) {
    HttpRequest request = head.request();
    String uri = request.uri();
    int query = uri.indexOf('?');
    String raw = query < 0 ? uri : uri.substring(0, query);
    String path;
    try {
      path = RequestPaths.normalize(raw);
    } catch (RefusedPathException e) {
      return LocalReply.to(head, HttpResponseStatus.BAD_REQUEST, "refused path: " + e.getMessage())
          .withGrpcStatus(GrpcStatus.INTERNAL)
          .flagged(ResponseFlag.DOWNSTREAM_PROTOCOL_ERROR);
    }
    if (!path.equals(raw)) {
      request.setUri(query < 0 ? path : path + uri.substring(query));
    }
    Caller caller = PeerCaller.of(ctx.channel());
    ServicePort port = port(ctx.channel() instanceof Http2StreamChannel);
    String method = request.method().name();
    Decision decision =
        authorizer.decide(
            new AccessRequest(
                caller,
                method,
                path,
                request.headers()::getAll,
                port == null ? "" : port.name(),
                port == null ? 0 : port.port()));
    String portName = port == null ? "" : port.name();
    if (!decision.allowed()) {
      log.denied(caller, method, path, portName, decision);
      return LocalReply.to(head, HttpResponseStatus.FORBIDDEN, DENIED)
          .withGrpcStatus(GrpcStatus.PERMISSION_DENIED)
          .flagged(ResponseFlag.ACCESS_DENIED);
    }
    if (!decision.dryRunDenials().isEmpty()) {
      log.dryRunDenied(caller, method, path, portName, decision);
    }
    return head;
  }

  /**
   * The service port an HTTP request is for: all of them reach the app's one HTTP port, so the
   * first declared port of the request's protocol (HTTP/2, gRPC included, or HTTP/1.1), else the
   * first HTTP port; null if the configuration declares none.
   */
  private ServicePort port(boolean http2) {
    List<ServicePort> declared =
        local.config().get().map(c -> c.ports(local.service())).orElse(List.of());
    ClusterConfig.Protocol wanted =
        http2 ? ClusterConfig.Protocol.HTTP2 : ClusterConfig.Protocol.HTTP1;
    ServicePort fallback = null;
    for (ServicePort port : declared) {
      if (port.protocol() == wanted) {
        return port;
      }
      if (fallback == null && port.protocol() != ClusterConfig.Protocol.TCP) {
        fallback = port;
      }
    }
    return fallback;
  }
}
