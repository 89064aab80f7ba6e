package dev.firemesh.proxy.listener;

import dev.firemesh.proxy.forward.Deadlines;
import dev.firemesh.proxy.forward.ExchangePolicy;
import dev.firemesh.proxy.forward.Reroute;
import dev.firemesh.proxy.forward.RoutedRequest;
import dev.firemesh.proxy.forward.Target;
import dev.firemesh.proxy.http.GrpcStatus;
import dev.firemesh.proxy.http.LocalReply;
import dev.firemesh.proxy.http.RequestHead;
import dev.firemesh.proxy.tcp.InboundTunnels;
import dev.firemesh.proxy.telemetry.ResponseFlag;
import dev.firemesh.proxy.upstream.UpstreamAddress;
import dev.firemesh.proxy.upstream.UpstreamProtocol;
import dev.firemesh.traffic.config.ServicePort;
import dev.firemesh.traffic.retry.RetryRule;
import dev.firemesh.traffic.route.ClusterRuntime;
import dev.firemesh.traffic.stats.ClusterStats;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.List;
import java.util.Optional;

/**
 * The inbound listener's target decision: every request goes to the local application's HTTP port.
 * That is the unnamed app port when there is one ({@code --app-port 8080}); with only named ports
 * ({@code --app-port http=8080 --app-port fix=9878}) it is the one named as the service's first
 * HTTP, HTTP/2 or gRPC port, looked up in the configuration in force (503 until it names one).
 *
 * <p>A request that arrives with its deadline passed ({@code x-firemesh-timeout-ms: 0}, or a {@code
 * grpc-timeout} of zero) is answered 504 (gRPC: DEADLINE_EXCEEDED) and never reaches the app; one
 * with time left is cut off (connection closed, stream reset) when it runs out.
 */
@Sharable
final class LocalAppTarget extends ChannelInboundHandlerAdapter {
  private final InboundTunnels local;
  private final UpstreamProtocol protocol;
  private final UpstreamDefaults defaults;
  private final Optional<Target> fixed;

  /** The local app's counters: answers, and requests refused or cut off by their deadline. */
  private final ClusterRuntime app;

  LocalAppTarget(
      InboundTunnels local,
      UpstreamProtocol protocol,
      UpstreamDefaults defaults,
      ClusterRuntime app) {
    this.local = local;
    this.app = app;
    this.protocol = protocol;
    this.defaults = defaults;
    int unnamed = local.appPorts().unnamed();
    this.fixed = unnamed > 0 ? Optional.of(target(unnamed)) : Optional.empty();
  }

  private Target target(int port) {
    return new Target(
        new UpstreamAddress(local.appHost(), port),
        protocol,
        defaults.connectTimeout(),
        defaults.idleTimeout(),
        Target.NO_LEASE,
        app);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    ctx.fireChannelRead(msg instanceof RequestHead head ? decide(head) : msg);
  }

  private Object decide(RequestHead head) {
    // The caller's deadline, as its sidecar stamped it: the app is never handed a request its
    // caller has given up on, and is cut off when the deadline passes while it works.
    ExchangePolicy policy = ExchangePolicy.NONE;
    long deadline = Deadlines.incoming(head.request().headers(), System.nanoTime());
    if (deadline != Long.MAX_VALUE) {
      if (deadline - System.nanoTime() <= 0) {
        app.stats().answeredLocally(ClusterStats.Local.REQUEST_TIMEOUT);
        return LocalReply.to(
                head, HttpResponseStatus.GATEWAY_TIMEOUT, "deadline expired before forwarding")
            .withGrpcStatus(GrpcStatus.DEADLINE_EXCEEDED)
            .flagged(ResponseFlag.DEADLINE_EXPIRED);
      }
      boolean grpc = GrpcStatus.isGrpc(head.request().headers());
      policy = new ExchangePolicy(deadline, RetryRule.NONE, false, 0, grpc);
    }
    if (fixed.isPresent()) {
      return new RoutedRequest(head, fixed.get(), Reroute.NONE, policy);
    }
    ExchangePolicy finalPolicy = policy;
    List<ServicePort> declared =
        local.config().get().map(c -> c.ports(local.service())).orElse(List.of());
    return local
        .appPorts()
        .forHttp(declared)
        .<Object>map(port -> new RoutedRequest(head, target(port), Reroute.NONE, finalPolicy))
        .orElseGet(
            () ->
                LocalReply.to(
                        head,
                        HttpResponseStatus.SERVICE_UNAVAILABLE,
                        "no app port for the HTTP ports of " + local.service())
                    .flagged(ResponseFlag.NO_HEALTHY_UPSTREAM));
  }
}
