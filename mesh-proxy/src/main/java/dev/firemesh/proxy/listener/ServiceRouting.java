package dev.firemesh.proxy.listener;

import dev.firemesh.proxy.forward.Deadlines;
import dev.firemesh.proxy.forward.ExchangePolicy;
import dev.firemesh.proxy.forward.Reroute;
import dev.firemesh.proxy.forward.RoutedRequest;
import dev.firemesh.proxy.forward.Target;
import dev.firemesh.proxy.http.Authority;
import dev.firemesh.proxy.http.GrpcStatus;
import dev.firemesh.proxy.http.HttpRequestView;
import dev.firemesh.proxy.http.LocalReply;
import dev.firemesh.proxy.http.RequestHead;
import dev.firemesh.proxy.telemetry.ResponseFlag;
import dev.firemesh.proxy.telemetry.RouteLabels;
import dev.firemesh.proxy.upstream.UpstreamAddress;
import dev.firemesh.proxy.upstream.UpstreamProtocol;
import dev.firemesh.traffic.circuit.Limit;
import dev.firemesh.traffic.config.ClusterConfig;
import dev.firemesh.traffic.config.RouteAction;
import dev.firemesh.traffic.retry.RetryRule;
import dev.firemesh.traffic.route.RouteResult;
import dev.firemesh.traffic.route.Router;
import dev.firemesh.traffic.stats.ClusterStats;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http2.Http2StreamChannel;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
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
  static final String FAULT_HEADER = "x-firemesh-fault";

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
              head,
              HttpResponseStatus.BAD_REQUEST,
              "no Host header or absolute URI names a service")
          .flagged(ResponseFlag.NO_ROUTE);
    }
    String service = Authority.parse(host).host();
    HttpRequestView view = new HttpRequestView(head.request());
    RouteResult result;
    try {
      result = router.route(service, view);
    } catch (RuntimeException e) {
      log.error("router failed service={}", service, e);
      return LocalReply.to(head, HttpResponseStatus.INTERNAL_SERVER_ERROR, "routing failed")
          .flagged(ResponseFlag.LOCAL_ERROR);
    }
    return switch (result) {
      case RouteResult.Routed routed -> forward(head, view, routed, callerSpeaksHttp2);
      case RouteResult.Redirected redirected ->
          redirect(head, redirected)
              .flagged(ResponseFlag.DIRECT_RESPONSE)
              .toward(RouteLabels.routed(service, redirected.route().name(), ""));
      case RouteResult.Answered answered ->
          LocalReply.answer(
                  head,
                  HttpResponseStatus.valueOf(answered.response().status()),
                  answered.response().body(),
                  Map.of())
              .flagged(ResponseFlag.DIRECT_RESPONSE)
              .toward(RouteLabels.routed(service, answered.route().name(), ""));
      case RouteResult.UnknownService unknown ->
          // The caller's word, not the configuration's: no label of its own (see RouteLabels).
          LocalReply.to(head, HttpResponseStatus.NOT_FOUND, "unknown service: " + unknown.service())
              .flagged(ResponseFlag.NO_ROUTE);
      case RouteResult.NoRoute none ->
          LocalReply.to(
                  head,
                  HttpResponseStatus.NOT_FOUND,
                  "no route matches in service: " + none.service())
              .flagged(ResponseFlag.NO_ROUTE)
              .toward(RouteLabels.unrouted(none.service()));
      case RouteResult.UnknownCluster unknown -> noHealthyUpstream(head, unknown.cluster());
      case RouteResult.NoEndpoint none -> noHealthyUpstream(head, none.cluster());
      case RouteResult.Overflow overflow ->
          overflowReply(head, overflow)
              .flagged(ResponseFlag.UPSTREAM_OVERFLOW)
              .toward(clusterOnly(overflow.cluster()));
    };
  }

  private static LocalReply noHealthyUpstream(RequestHead head, String cluster) {
    return LocalReply.to(head, HttpResponseStatus.SERVICE_UNAVAILABLE, "no healthy upstream")
        .flagged(ResponseFlag.NO_HEALTHY_UPSTREAM)
        .toward(clusterOnly(cluster));
  }

  /** A cluster picked by a route the result does not name. */
  private static RouteLabels clusterOnly(String cluster) {
    return new RouteLabels(RouteLabels.serviceOf(cluster), RouteLabels.NO_ROUTE, cluster);
  }

  private static LocalReply overflowReply(RequestHead head, RouteResult.Overflow overflow) {
    return LocalReply.to(
            head,
            HttpResponseStatus.SERVICE_UNAVAILABLE,
            "upstream overflow: " + overflow.limit().wireName())
        .withHeader(Limit.OVERFLOW_HEADER, overflow.limit().wireName());
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
   * The routed request with what the exchange must enforce: the deadline (the route's timeout or
   * the caller's own, whichever is sooner), the retry rule, and an injected fault: an abort is
   * answered here, a delay is left to the exchange.
   */
  private Object forward(
      RequestHead head, HttpRequestView view, RouteResult.Routed routed, boolean callerH2) {
    RouteAction action = routed.action();
    long now = System.nanoTime();
    long deadline = Deadlines.incoming(head.request().headers(), now);
    if (!action.timeout().isZero()) {
      deadline =
          Math.min(deadline, Deadlines.after(now, OptionalLong.of(action.timeout().toNanos())));
    }
    long delay = 0;
    RouteAction.Fault fault = action.fault();
    if (fault.enabled() && fault.applies(view)) {
      ThreadLocalRandom random = ThreadLocalRandom.current();
      if (fault.abortPercent() > 0 && random.nextDouble() * 100 < fault.abortPercent()) {
        routed.lease().close();
        routed.runtime().stats().answeredLocally(ClusterStats.Local.FAULT_ABORT);
        return faultAbort(head, fault).flagged(ResponseFlag.FAULT_ABORT).toward(labels(routed));
      }
      if (fault.delayPercent() > 0 && random.nextDouble() * 100 < fault.delayPercent()) {
        delay = fault.delay().toNanos();
      }
    }
    RetryRule retry = new RetryRule(action.retry());
    boolean grpc = GrpcStatus.isGrpc(head.request().headers());
    ExchangePolicy policy = new ExchangePolicy(deadline, retry, retry.permits(view), delay, grpc);
    // Rewrites after every decision that looks at the request as the caller sent it.
    HttpRequestView original = RouteRewrite.apply(routed, head.request(), view);
    return MirrorTargets.attach(
        new RoutedRequest(
            head,
            target(routed, callerH2),
            new Rerouting(routed, original, callerH2),
            policy,
            labels(routed)),
        routed,
        callerH2,
        defaults);
  }

  private static RouteLabels labels(RouteResult.Routed routed) {
    String cluster = routed.cluster().name();
    return RouteLabels.routed(RouteLabels.serviceOf(cluster), routed.route().name(), cluster);
  }

  private static LocalReply faultAbort(RequestHead head, RouteAction.Fault fault) {
    HttpResponseStatus status =
        fault.abortHttpStatus() > 0
            ? HttpResponseStatus.valueOf(fault.abortHttpStatus())
            : HttpResponseStatus.SERVICE_UNAVAILABLE;
    LocalReply reply =
        LocalReply.to(head, status, "fault injected").withHeader(FAULT_HEADER, "abort");
    return fault.abortGrpcStatus() > 0 ? reply.withGrpcStatus(fault.abortGrpcStatus()) : reply;
  }

  /**
   * Routes a request again within the cluster it was routed to, after a refused connect or for a
   * retry, preferring endpoints not tried yet: at most {@link #MAX_ATTEMPTS} refused connects per
   * request; retries are bounded by the route's policy and the cluster's retry budget.
   */
  private final class Rerouting implements Reroute {
    private final RouteResult.Routed first;
    private final HttpRequestView view;
    private final boolean callerSpeaksHttp2;
    private final Set<String> tried = new HashSet<>(4);
    private int refused;

    Rerouting(RouteResult.Routed first, HttpRequestView view, boolean callerSpeaksHttp2) {
      this.first = first;
      this.view = view;
      this.callerSpeaksHttp2 = callerSpeaksHttp2;
    }

    @Override
    public Optional<Target> after(Target failed) {
      if (++refused >= MAX_ATTEMPTS) {
        return Optional.empty();
      }
      Optional<Target> next = another(failed, true);
      next.ifPresent(
          target ->
              log.debug(
                  "connect refused by {}; rerouted to {}", failed.address(), target.address()));
      return next;
    }

    @Override
    public Optional<Target> retry(Target failed) {
      return another(failed, false);
    }

    /** With {@code strict}, never an endpoint tried before: a refused one refuses again. */
    private Optional<Target> another(Target failed, boolean strict) {
      tried.add(failed.address().host() + ":" + failed.address().port());
      RouteResult result;
      try {
        result = router.retarget(first, view, tried);
      } catch (RuntimeException e) {
        log.error("router failed cluster={}", first.cluster().name(), e);
        return Optional.empty();
      }
      if (!(result instanceof RouteResult.Routed routed)) {
        return Optional.empty();
      }
      if (strict && tried.contains(routed.endpoint().hostPort())) {
        routed.lease().close();
        return Optional.empty();
      }
      return Optional.of(target(routed, callerSpeaksHttp2));
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
        new UpstreamAddress(
            routed.endpoint().address(),
            routed.endpoint().port(),
            routed.endpoint().identity(),
            cluster.name()),
        callerSpeaksHttp2 && cluster.protocol() == ClusterConfig.Protocol.HTTP2
            ? UpstreamProtocol.HTTP2
            : UpstreamProtocol.HTTP1,
        defaults.connectTimeout(cluster.connectTimeout()),
        defaults.idleTimeout(cluster.idleTimeout()),
        routed.lease(),
        routed.runtime());
  }
}
