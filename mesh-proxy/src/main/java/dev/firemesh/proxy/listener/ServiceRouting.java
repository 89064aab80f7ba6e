package dev.firemesh.proxy.listener;

import dev.firemesh.proxy.forward.Reroute;
import dev.firemesh.proxy.forward.RoutedRequest;
import dev.firemesh.proxy.forward.Target;
import dev.firemesh.proxy.http.Authority;
import dev.firemesh.proxy.http.HttpRequestView;
import dev.firemesh.proxy.http.LocalReply;
import dev.firemesh.proxy.http.RequestHead;
import dev.firemesh.proxy.upstream.UpstreamAddress;
import dev.firemesh.proxy.upstream.UpstreamProtocol;
import dev.firemesh.traffic.config.ClusterConfig;
import dev.firemesh.traffic.route.RouteResult;
import dev.firemesh.traffic.route.Router;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http2.Http2StreamChannel;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The outbound listener's target decision: the service is the host of the request's authority
 * (already moved from an absolute URI into Host by {@code RequestRewrite}), port dropped, and the
 * {@link Router} picks route, cluster and endpoint. Unknown service or no matching route: 404;
 * unknown cluster or no endpoint: 503 {@code no healthy upstream}; for a gRPC request the same as
 * gRPC statuses UNIMPLEMENTED and UNAVAILABLE (see {@link LocalReply}). An HTTP/2 request names the
 * service in {@code :authority}, which the stream codec turns into Host. An HTTP/2 request to an
 * HTTP/2 cluster travels on as a stream on a shared connection; everything else as HTTP/1.1. A
 * refused connect is rerouted to another endpoint (see {@link Reroute}). A route may rewrite the
 * forwarded request's path and Host ({@link RouteRewrite}), send copies of it to mirrors ({@link
 * MirrorTargets}), or answer it here with a redirect or a fixed response.
 */
@Sharable
final class ServiceRouting extends ChannelInboundHandlerAdapter {

  private static final Logger log = LoggerFactory.getLogger(ServiceRouting.class);
  private static final int MAX_ATTEMPTS = 3;
  private static final int MAX_DRAWS = 8;

  private final Router router;
  private final UpstreamDefaults defaults;

  ServiceRouting(Router router, UpstreamDefaults defaults) {
    this.router = router;
    this.defaults = defaults;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    ctx.fireChannelRead(
        msg instanceof RequestHead head
            ? route(head, ctx.channel() instanceof Http2StreamChannel)
            : msg);
  }

  private Object route(RequestHead head, boolean callerSpeaksHttp2) {
    String host = head.request().headers().get(HttpHeaderNames.HOST);
    if (host == null) {
      return LocalReply.to(
          head, HttpResponseStatus.BAD_REQUEST, "no Host header or absolute URI names a service");
    }
    String service = Authority.parse(host).host();
    HttpRequestView view = new HttpRequestView(head.request());
    RouteResult result;
    try {
      result = router.route(service, view);
    } catch (RuntimeException e) {
      log.error("router failed service={}", service, e);
      return LocalReply.to(head, HttpResponseStatus.INTERNAL_SERVER_ERROR, "routing failed");
    }
    return switch (result) {
      case RouteResult.Routed routed -> {
        HttpRequestView original = RouteRewrite.apply(routed, head.request(), view);
        yield MirrorTargets.attach(
            new RoutedRequest(
                head,
                target(routed, callerSpeaksHttp2),
                new Rerouting(service, original, callerSpeaksHttp2)),
            routed,
            callerSpeaksHttp2,
            defaults);
      }
      case RouteResult.Redirected redirected -> redirect(head, redirected);
      case RouteResult.Answered answered ->
          LocalReply.answer(
              head,
              HttpResponseStatus.valueOf(answered.response().status()),
              answered.response().body(),
              Map.of());
      case RouteResult.UnknownService unknown ->
          LocalReply.to(
              head, HttpResponseStatus.NOT_FOUND, "unknown service: " + unknown.service());
      case RouteResult.NoRoute none ->
          LocalReply.to(
              head, HttpResponseStatus.NOT_FOUND, "no route matches in service: " + none.service());
      case RouteResult.UnknownCluster unknown ->
          LocalReply.to(head, HttpResponseStatus.SERVICE_UNAVAILABLE, "no healthy upstream");
      case RouteResult.NoEndpoint none ->
          LocalReply.to(head, HttpResponseStatus.SERVICE_UNAVAILABLE, "no healthy upstream");
    };
  }

  /**
   * A route's redirect: the request's URL (scheme {@code http}, as callers reach this listener in
   * plain text; the Host the caller sent) changed as the route says, in {@code Location}.
   */
  private static LocalReply redirect(RequestHead head, RouteResult.Redirected redirected) {
    String location =
        redirected
            .redirect()
            .location(
                "http",
                head.request().headers().get(HttpHeaderNames.HOST),
                head.request().uri(),
                redirected.route().match().path());
    return LocalReply.answer(
        head,
        HttpResponseStatus.valueOf(redirected.redirect().status()),
        "",
        Map.of(HttpHeaderNames.LOCATION.toString(), location));
  }

  /**
   * Routes a request again after a refused connect, to an endpoint not refused yet: at most {@link
   * #MAX_ATTEMPTS} connects per request, and a few draws of the balancer per attempt (it may well
   * pick the refused endpoint again, as round robin over two endpoints does every other time).
   */
  private final class Rerouting implements Reroute {
    private final String service;
    private final HttpRequestView view;
    private final boolean callerSpeaksHttp2;
    private final Set<UpstreamAddress> refused = new HashSet<>(4);

    Rerouting(String service, HttpRequestView view, boolean callerSpeaksHttp2) {
      this.service = service;
      this.view = view;
      this.callerSpeaksHttp2 = callerSpeaksHttp2;
    }

    @Override
    public Optional<Target> after(Target failed) {
      refused.add(failed.address());
      if (refused.size() >= MAX_ATTEMPTS) {
        return Optional.empty();
      }
      for (int draw = 0; draw < MAX_DRAWS; draw++) {
        RouteResult result;
        try {
          result = router.route(service, view);
        } catch (RuntimeException e) {
          log.error("router failed service={}", service, e);
          return Optional.empty();
        }
        if (!(result instanceof RouteResult.Routed routed)) {
          return Optional.empty();
        }
        Target next = target(routed, callerSpeaksHttp2);
        if (!refused.contains(next.address())) {
          log.debug("connect refused by {}; rerouted to {}", failed.address(), next.address());
          return Optional.of(next);
        }
        routed.lease().close();
      }
      return Optional.empty();
    }
  }

  /**
   * The request keeps the caller's protocol across the mesh: an HTTP/1.1 call to a service whose
   * cluster is HTTP/2 (a service with a gRPC port besides its HTTP port) stays HTTP/1.1, because
   * the peer's sidecar speaks to its app in the protocol the request arrived in, and that app's
   * HTTP port may not speak HTTP/2.
   */
  private Target target(RouteResult.Routed routed, boolean callerSpeaksHttp2) {
    ClusterConfig cluster = routed.cluster();
    return new Target(
        new UpstreamAddress(routed.endpoint().address(), routed.endpoint().port()),
        callerSpeaksHttp2 && cluster.protocol() == ClusterConfig.Protocol.HTTP2
            ? UpstreamProtocol.HTTP2
            : UpstreamProtocol.HTTP1,
        defaults.connectTimeout(cluster.connectTimeout()),
        defaults.idleTimeout(cluster.idleTimeout()),
        routed.lease());
  }
}
