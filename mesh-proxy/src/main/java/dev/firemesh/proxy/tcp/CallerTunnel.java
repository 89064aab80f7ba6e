package dev.firemesh.proxy.tcp;

import dev.firemesh.proxy.tls.UpstreamTls;
import dev.firemesh.traffic.route.RequestLease;
import dev.firemesh.traffic.route.RouteResult;
import dev.firemesh.traffic.route.Router;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.ConnectTimeoutException;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import java.net.ConnectException;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The caller's end of a tunnel, on the local app's connection (accepted with reads off): as soon as
 * the app connects, routes it, connects to the chosen peer sidecar, sends {@code CONNECT} and, on
 * {@code 200}, splices the two connections and starts reading. The app's first byte is not awaited,
 * so a server that speaks first is heard at once.
 *
 * <p>A refused connect reached no application, so another endpoint is tried (up to {@link
 * TunnelSettings#maxConnectAttempts()}); a timeout, a refusal by the peer (404, 503) or no endpoint
 * closes the app's connection. The routing lease is held for the tunnel's life, so least-request
 * balancing counts open tunnels.
 */
final class CallerTunnel extends ChannelInboundHandlerAdapter {

  private static final Logger log = LoggerFactory.getLogger(CallerTunnel.class);

  /** Picks that land on an already refused endpoint before giving up on finding another. */
  private static final int MAX_REPICKS = 8;

  private final TcpUpstream upstream;
  private final Router router;
  private final TunnelSettings settings;
  private final Set<String> refused = new HashSet<>();
  private int attempts;
  private Channel peer;
  private boolean spliced;
  private RequestLease lease = () -> {};

  CallerTunnel(TcpUpstream upstream, Router router, TunnelSettings settings) {
    this.upstream = upstream;
    this.router = router;
    this.settings = settings;
  }

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    ctx.channel().closeFuture().addListener(closed -> ended());
    attempt(ctx);
    ctx.fireChannelActive();
  }

  private void attempt(ChannelHandlerContext ctx) {
    attempts++;
    Optional<RouteResult.Routed> routed = route();
    if (routed.isEmpty()) {
      ctx.close();
      return;
    }
    lease = routed.get().lease();
    String host = routed.get().endpoint().address();
    int port = routed.get().endpoint().port();
    String identity = routed.get().endpoint().identity();
    String cluster = routed.get().cluster().name();
    Channel local = ctx.channel();
    ChannelFuture connecting = settings.connection(local).connect(host, port);
    peer = connecting.channel();
    connecting.addListener(
        (ChannelFuture f) -> {
          if (!f.isSuccess()) {
            connectFailed(ctx, host, port, f.cause());
            return;
          }
          if (!local.isActive()) {
            f.channel().close();
            return;
          }
          // Nothing was written yet, so TLS may start now; CONNECT goes once the peer is proven.
          settings
              .tls()
              .secure(
                  f.channel(),
                  UpstreamTls.Alpn.HTTP1,
                  identity,
                  cluster,
                  settings.connectTimeout());
          UpstreamTls.ready(f.channel())
              .addListener(
                  ready -> {
                    if (!ready.isSuccess()) {
                      connectFailed(ctx, host, port, ready.cause());
                    } else if (local.isActive()) {
                      f.channel().pipeline().addLast("opening", new Opening(local));
                    } else {
                      f.channel().close();
                    }
                  });
        });
  }

  private void connectFailed(ChannelHandlerContext ctx, String host, int port, Throwable cause) {
    Channel local = ctx.channel();
    // A refused connect, or a peer that failed mTLS (UpstreamTlsException is a ConnectException):
    // no application saw anything, so another endpoint may be tried.
    boolean refusal =
        cause instanceof ConnectException && !(cause instanceof ConnectTimeoutException);
    log.debug(
        "tunnel connect failed upstream={} endpoint={}:{} attempt={}",
        upstream.authority(),
        host,
        port,
        attempts,
        cause);
    lease.close();
    lease = () -> {};
    if (refusal && attempts < settings.maxConnectAttempts() && local.isActive()) {
      refused.add(host + ":" + port);
      attempt(ctx);
    } else {
      local.close();
    }
  }

  /** A route to an endpoint not yet refused, else nothing (the reason is logged). */
  private Optional<RouteResult.Routed> route() {
    for (int pick = 0; pick < MAX_REPICKS; pick++) {
      RouteResult result;
      try {
        result = router.route(upstream.service(), TcpConnectionView.INSTANCE);
      } catch (RuntimeException e) {
        log.error("router failed service={}", upstream.service(), e);
        return Optional.empty();
      }
      if (!(result instanceof RouteResult.Routed routed)) {
        log.debug("tunnel not routed upstream={} result={}", upstream.authority(), result);
        return Optional.empty();
      }
      if (!refused.contains(routed.endpoint().hostPort())) {
        return Optional.of(routed);
      }
      routed.lease().close();
    }
    log.debug("tunnel upstream={}: every endpoint picked refused", upstream.authority());
    return Optional.empty();
  }

  private void ended() {
    if (!spliced) {
      settings.stats().tunnelFailed();
    }
    lease.close();
    lease = () -> {};
    if (peer != null && !spliced) {
      peer.close(); // once spliced, the splice closes it after flushing what it holds
    }
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    ReferenceCountUtil.release(msg); // reads are off until the tunnel is up
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt instanceof IdleStateEvent) {
      ctx.close(); // the tunnel never came up
      return;
    }
    ctx.fireUserEventTriggered(evt);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    log.debug("tunnel's local connection failed upstream={}", upstream.authority(), cause);
    ctx.close();
  }

  /** On the connection to the peer sidecar: sends CONNECT, reads the answer, then splices. */
  private final class Opening extends ChannelInboundHandlerAdapter {
    private final Channel local;
    private ByteBuf received;

    Opening(Channel local) {
      this.local = local;
    }

    /** Added once the connection is up (and, over mTLS, the peer proven): asks at once. */
    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
      ctx.writeAndFlush(TunnelHead.request(ctx.alloc(), upstream.service(), upstream.port()));
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      if (!(msg instanceof ByteBuf bytes)) {
        ReferenceCountUtil.release(msg);
        return;
      }
      received =
          received == null
              ? bytes
              : ctx.alloc().compositeBuffer().addComponents(true, received, bytes);
      Optional<TunnelHead> head;
      try {
        head = TunnelHead.read(received);
      } catch (IllegalArgumentException e) {
        fail(ctx, "bad answer: " + e.getMessage());
        return;
      }
      if (head.isEmpty()) {
        return;
      }
      int status = head.get().status();
      if (status != 200) {
        String body = received.toString(java.nio.charset.StandardCharsets.UTF_8).strip();
        fail(ctx, head.get().startLine() + (body.isEmpty() ? "" : ": " + body));
        return;
      }
      Channel peerChannel = ctx.channel();
      spliced = true;
      settings.stats().tunnelOpened();
      local.config().setOption(ChannelOption.ALLOW_HALF_CLOSURE, true);
      local.pipeline().replace(CallerTunnel.this, "splice", new Splice(peerChannel));
      ctx.pipeline().addLast("splice", new Splice(local));
      ByteBuf early = received;
      received = null;
      if (early.isReadable()) {
        ctx.fireChannelRead(early); // a server that spoke first, in the same packet as the 200
        ctx.fireChannelReadComplete();
      } else {
        early.release();
      }
      ctx.pipeline().remove(this);
      local.config().setAutoRead(true);
    }

    private void fail(ChannelHandlerContext ctx, String reason) {
      log.info(
          "tunnel refused upstream={} peer={}: {}",
          upstream.authority(),
          ctx.channel().remoteAddress(),
          reason);
      release();
      ctx.close();
      local.close();
    }

    private void release() {
      if (received != null) {
        received.release();
        received = null;
      }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      release();
      local.close(); // the peer went away before the tunnel was up
      ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
      release();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      log.debug("tunnel connection to the peer failed upstream={}", upstream.authority(), cause);
      ctx.close();
    }
  }
}
