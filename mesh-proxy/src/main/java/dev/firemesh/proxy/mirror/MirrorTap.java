package dev.firemesh.proxy.mirror;

import dev.firemesh.proxy.forward.Target;
import dev.firemesh.proxy.http.RequestHead;
import dev.firemesh.proxy.stats.ProxyStats;
import dev.firemesh.proxy.upstream.UpstreamPool;
import dev.firemesh.proxy.upstream.UpstreamPools;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import java.util.ArrayList;
import java.util.List;

/**
 * Copies mirrored requests as they pass, without ever holding them up: a {@link MirroredRequest}
 * goes on as its plain routed request at once, and each body piece goes on as it came, after a
 * retained duplicate of it is kept for each copy. When the request's last piece has passed, each
 * copy goes to its target on a {@link ShadowExchange}. One tap per HTTP/1.1 connection or HTTP/2
 * stream; requests pass it in order, so at most one request is being copied at a time.
 *
 * <p>The copy's Host gets a {@code -shadow} suffix on its host part ({@code orders:8080} becomes
 * {@code orders-shadow:8080}), as Envoy marks shadowed requests, so the shadow can tell copies from
 * real calls; the receiving sidecar does not route by Host, so it still reaches the shadow's app.
 */
public final class MirrorTap extends ChannelInboundHandlerAdapter {

  private final UpstreamPools pools;
  private final MirrorSettings settings;
  private final MirrorBudget budget;
  private final ProxyStats stats;
  private final List<PendingCopy> copying = new ArrayList<>(2);
  private UpstreamPool pool;

  private MirrorTap(
      UpstreamPools pools, MirrorSettings settings, MirrorBudget budget, ProxyStats stats) {
    this.pools = pools;
    this.settings = settings;
    this.budget = budget;
    this.stats = stats;
  }

  /** Makes taps that share one budget of copies in flight: one factory per sidecar. */
  public static Factory factory(UpstreamPools pools, MirrorSettings settings, ProxyStats stats) {
    MirrorBudget budget = new MirrorBudget(settings.maxInFlight());
    return () -> new MirrorTap(pools, settings, budget, stats);
  }

  /** A new tap for each connection or stream. */
  @FunctionalInterface
  public interface Factory {
    MirrorTap newTap();
  }

  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    // Copies go out on the caller's loop, as the request itself does: no locks, no hand-offs.
    pool = pools.forLoop(ctx.channel().eventLoop());
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    switch (msg) {
      case MirroredRequest mirrored -> {
        begin(mirrored);
        ctx.fireChannelRead(mirrored.request());
      }
      case HttpContent content when !copying.isEmpty() -> {
        keep(content);
        ctx.fireChannelRead(content);
      }
      default -> ctx.fireChannelRead(msg);
    }
  }

  private void begin(MirroredRequest mirrored) {
    dropAll(); // a new head while copying: the caller's previous request never ended
    RequestHead head = mirrored.request().head();
    long declared = HttpUtil.getContentLength(head.request(), 0L);
    for (Target target : mirrored.mirrors()) {
      if (declared > settings.maxBodyBytes()) {
        stats.mirrorDropped();
        continue;
      }
      copying.add(new PendingCopy(target, shadowHead(head.request())));
    }
  }

  private void keep(HttpContent content) {
    for (int i = copying.size() - 1; i >= 0; i--) {
      PendingCopy copy = copying.get(i);
      if (!copy.add(content, settings.maxBodyBytes())) {
        copying.remove(i);
        copy.release();
        stats.mirrorDropped();
      }
    }
    if (content instanceof LastHttpContent) {
      for (PendingCopy copy : copying) {
        send(copy);
      }
      copying.clear();
    }
  }

  private void send(PendingCopy copy) {
    if (!budget.tryAcquire()) {
      copy.release();
      stats.mirrorDropped();
      return;
    }
    new ShadowExchange(copy, settings, budget, stats).start(pool, copy.target());
  }

  /** The copy's own head: the same request line and headers, Host marked as a shadow's. */
  static HttpRequest shadowHead(HttpRequest request) {
    HttpRequest copy =
        new DefaultHttpRequest(
            HttpVersion.HTTP_1_1, request.method(), request.uri(), request.headers().copy());
    // The whole body goes at once: no waiting for a 100 Continue that nobody would act on.
    copy.headers().remove(HttpHeaderNames.EXPECT);
    String host = copy.headers().get(HttpHeaderNames.HOST);
    if (host != null) {
      copy.headers().set(HttpHeaderNames.HOST, shadowHost(host));
    }
    return copy;
  }

  /** {@code orders} to {@code orders-shadow}, {@code orders:8080} to {@code orders-shadow:8080}. */
  static String shadowHost(String host) {
    int colon = host.lastIndexOf(':');
    if (colon > 0 && host.indexOf(']') < colon && host.charAt(0) != '[') {
      return host.substring(0, colon) + "-shadow" + host.substring(colon);
    }
    if (host.startsWith("[")) {
      return host; // an IPv6 literal has no name to mark
    }
    return host + "-shadow";
  }

  private void dropAll() {
    for (PendingCopy copy : copying) {
      copy.release();
      stats.mirrorDropped();
    }
    copying.clear();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    dropAll(); // the caller went away before its request was whole: copy nothing half-sent
    ctx.fireChannelInactive();
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    dropAll();
  }
}
