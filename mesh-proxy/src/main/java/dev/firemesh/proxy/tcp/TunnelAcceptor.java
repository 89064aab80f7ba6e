package dev.firemesh.proxy.tcp;

import dev.firemesh.proxy.authz.PeerCaller;
import dev.firemesh.traffic.authz.AccessRequest;
import dev.firemesh.traffic.authz.Caller;
import dev.firemesh.traffic.authz.Decision;
import dev.firemesh.traffic.config.ClusterConfig;
import dev.firemesh.traffic.config.DataPlaneConfig;
import dev.firemesh.traffic.config.ServicePort;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.ConnectTimeoutException;
import io.netty.util.ReferenceCountUtil;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The inbound end of a tunnel: reads the {@code CONNECT} head, checks the named port is a tcp port
 * of this instance's service, connects to the local app's port for it, answers {@code 200} and
 * splices. Refusals: a malformed head 400; another service, an unknown port, a port that is not
 * tcp, or one this instance has no app port for 404; a caller the service's authorization policies
 * deny for that port 403; the app not accepting 503; each closes the connection. Bytes that arrive
 * behind the head before the app is connected are kept (up to {@link #MAX_EARLY_BYTES}) and passed
 * on.
 */
final class TunnelAcceptor extends ChannelInboundHandlerAdapter {

  private static final Logger log = LoggerFactory.getLogger(TunnelAcceptor.class);
  static final int MAX_EARLY_BYTES = 64 * 1024;

  private final InboundTunnels tunnels;
  private ByteBuf received;
  private boolean headRead;
  private boolean done;
  private Channel app;

  TunnelAcceptor(InboundTunnels tunnels) {
    this.tunnels = tunnels;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof ByteBuf bytes) || done) {
      ReferenceCountUtil.release(msg);
      return;
    }
    if (received == null) {
      received = bytes;
    } else {
      received = ctx.alloc().compositeBuffer().addComponents(true, received, bytes);
    }
    if (headRead) {
      if (received.readableBytes() > MAX_EARLY_BYTES) {
        refuse(ctx, 400, "Bad Request", "too many bytes before the tunnel was established");
      }
      return;
    }
    Optional<TunnelHead> head;
    try {
      head = TunnelHead.read(received);
    } catch (IllegalArgumentException e) {
      refuse(ctx, 400, "Bad Request", e.getMessage());
      return;
    }
    if (head.isPresent()) {
      headRead = true;
      ctx.channel().config().setAutoRead(false);
      open(ctx, head.get());
    }
  }

  private void open(ChannelHandlerContext ctx, TunnelHead head) {
    Optional<String> authority = head.connectAuthority();
    if (authority.isEmpty()) {
      refuse(ctx, 400, "Bad Request", "expected CONNECT <service>[:<port-name>] HTTP/1.1");
      return;
    }
    int colon = authority.get().indexOf(':');
    String service = colon < 0 ? authority.get() : authority.get().substring(0, colon);
    String portName = colon < 0 ? "" : authority.get().substring(colon + 1);
    if (!service.equals(tunnels.service())) {
      refuse(
          ctx, 404, "Not Found", "this instance serves " + tunnels.service() + ", not " + service);
      return;
    }
    Optional<DataPlaneConfig> config = tunnels.config().get();
    if (config.isEmpty()) {
      refuse(ctx, 503, "Service Unavailable", "no configuration from the control plane yet");
      return;
    }
    List<ServicePort> declared = config.get().ports(service);
    Optional<ServicePort> port = port(declared, portName);
    if (port.isEmpty()) {
      List<String> tcp =
          declared.stream()
              .filter(p -> p.protocol() == ClusterConfig.Protocol.TCP)
              .map(ServicePort::name)
              .toList();
      refuse(
          ctx,
          404,
          "Not Found",
          (portName.isEmpty()
                  ? "name the port: "
                  : "service " + service + " has no tcp port named " + portName + "; ")
              + "its tcp ports are "
              + tcp);
      return;
    }
    OptionalInt appPort = tunnels.appPorts().forTunnel(port.get(), declared);
    if (appPort.isEmpty()) {
      refuse(
          ctx,
          404,
          "Not Found",
          "this instance has no app port for " + port.get().name() + " (--app-port NAME=PORT)");
      return;
    }
    if (!authorized(ctx, port.get())) {
      refuse(ctx, 403, "Forbidden", "access denied by authorization policy");
      return;
    }
    connect(ctx, appPort.getAsInt());
  }

  /** A tunnel is a connection to a port: the caller and the port are all a rule can look at. */
  private boolean authorized(ChannelHandlerContext ctx, ServicePort port) {
    if (!tunnels.authorizer().active()) {
      return true;
    }
    Caller caller = PeerCaller.of(ctx.channel());
    Decision decision =
        tunnels.authorizer().decide(AccessRequest.tunnel(caller, port.name(), port.port()));
    if (!decision.allowed()) {
      tunnels.authorizationLog().denied(caller, "CONNECT", "", port.name(), decision);
      return false;
    }
    if (!decision.dryRunDenials().isEmpty()) {
      tunnels.authorizationLog().dryRunDenied(caller, "CONNECT", "", port.name(), decision);
    }
    return true;
  }

  /** The named tcp port, or with no name the one tcp port if there is exactly one. */
  private static Optional<ServicePort> port(List<ServicePort> declared, String name) {
    List<ServicePort> tcp =
        declared.stream().filter(p -> p.protocol() == ClusterConfig.Protocol.TCP).toList();
    if (name.isEmpty()) {
      return tcp.size() == 1 ? Optional.of(tcp.getFirst()) : Optional.empty();
    }
    return tcp.stream().filter(p -> p.name().equals(name)).findFirst();
  }

  private void connect(ChannelHandlerContext ctx, int appPort) {
    Channel caller = ctx.channel();
    TunnelSettings settings = tunnels.settings();
    ChannelFuture connecting =
        settings
            .connection(caller)
            .option(ChannelOption.AUTO_READ, false)
            .connect(tunnels.appHost(), appPort);
    app = connecting.channel();
    connecting.addListener(
        (ChannelFuture f) -> {
          if (done) {
            f.channel().close();
          } else if (f.isSuccess()) {
            established(ctx, f.channel());
          } else {
            Throwable cause = f.cause();
            String reason =
                cause instanceof ConnectTimeoutException
                    ? "timed out"
                    : String.valueOf(cause.getMessage());
            refuse(
                ctx,
                503,
                "Service Unavailable",
                "the app is not accepting on " + tunnels.appHost() + ":" + appPort + ": " + reason);
          }
        });
  }

  private void established(ChannelHandlerContext ctx, Channel appChannel) {
    done = true;
    tunnels.settings().stats().tunnelAccepted();
    Channel caller = ctx.channel();
    caller.config().setOption(ChannelOption.ALLOW_HALF_CLOSURE, true);
    caller.writeAndFlush(TunnelHead.established(ctx.alloc()), caller.voidPromise());
    appChannel.pipeline().addLast("splice", new Splice(caller));
    if (caller.pipeline().get("idle") != null) {
      caller.pipeline().replace("idle", "idle", tunnels.settings().idleHandler());
    }
    caller.pipeline().addLast("splice", new Splice(appChannel));
    ByteBuf early = received;
    received = null;
    if (early != null && early.isReadable()) {
      ctx.fireChannelRead(early); // to the splice, which comes next
      ctx.fireChannelReadComplete();
    } else if (early != null) {
      early.release();
    }
    ctx.pipeline().remove(this);
    caller.config().setAutoRead(true);
    appChannel.config().setAutoRead(true);
  }

  private void refuse(ChannelHandlerContext ctx, int status, String reason, String message) {
    if (done) {
      return;
    }
    done = true;
    tunnels.settings().stats().tunnelRefused();
    release();
    log.debug(
        "tunnel refused remote={} status={} reason={}",
        ctx.channel().remoteAddress(),
        status,
        message);
    ctx.writeAndFlush(TunnelHead.refusal(ctx.alloc(), status, reason, message))
        .addListener(ChannelFutureListener.CLOSE);
  }

  private void release() {
    if (received != null) {
      received.release();
      received = null;
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    done = true;
    release();
    if (app != null) {
      app.close();
    }
    ctx.fireChannelInactive();
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    release();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    log.debug(
        "tunnel failed before it was established remote={}", ctx.channel().remoteAddress(), cause);
    ctx.close();
  }
}
