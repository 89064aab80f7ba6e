package dev.firemesh.proxy.listener;

import dev.firemesh.proxy.forward.RoutedRequest;
import dev.firemesh.proxy.forward.Target;
import dev.firemesh.proxy.http.LocalReply;
import dev.firemesh.proxy.http.RequestHead;
import dev.firemesh.proxy.tcp.InboundTunnels;
import dev.firemesh.proxy.upstream.UpstreamAddress;
import dev.firemesh.proxy.upstream.UpstreamProtocol;
import dev.firemesh.traffic.config.ServicePort;
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
 */
@Sharable
final class LocalAppTarget extends ChannelInboundHandlerAdapter {
  private final InboundTunnels local;
  private final UpstreamProtocol protocol;
  private final UpstreamDefaults defaults;
  private final Optional<Target> fixed;

  LocalAppTarget(InboundTunnels local, UpstreamProtocol protocol, UpstreamDefaults defaults) {
    this.local = local;
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
        Target.NO_LEASE);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    ctx.fireChannelRead(msg instanceof RequestHead head ? decide(head) : msg);
  }

  private Object decide(RequestHead head) {
    if (fixed.isPresent()) {
      return new RoutedRequest(head, fixed.get());
    }
    List<ServicePort> declared =
        local.config().get().map(c -> c.ports(local.service())).orElse(List.of());
    return local
        .appPorts()
        .forHttp(declared)
        .<Object>map(port -> new RoutedRequest(head, target(port)))
        .orElseGet(
            () ->
                LocalReply.to(
                    head,
                    HttpResponseStatus.SERVICE_UNAVAILABLE,
                    "no app port for the HTTP ports of " + local.service()));
  }
}
