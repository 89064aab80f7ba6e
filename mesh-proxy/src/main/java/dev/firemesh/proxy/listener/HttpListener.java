package dev.firemesh.proxy.listener;

import dev.firemesh.proxy.forward.ExchangeHandler;
import dev.firemesh.proxy.forward.ForwardSettings;
import dev.firemesh.proxy.forward.Target;
import dev.firemesh.proxy.http.Http1ServerCodec;
import dev.firemesh.proxy.http.RequestRewrite;
import dev.firemesh.proxy.http.RequestValidation;
import dev.firemesh.proxy.stats.ProxyStats;
import dev.firemesh.proxy.upstream.UpstreamAddress;
import dev.firemesh.proxy.upstream.UpstreamPools;
import dev.firemesh.traffic.route.Router;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.timeout.IdleStateHandler;
import java.util.concurrent.TimeUnit;

/**
 * Assembles a listener's pipeline for each accepted connection. Both listeners are the same stack
 * but for the target handler:
 *
 * <pre>
 * traffic    count bytes in and out
 * idle       signal a caller connection idle past the timeout
 * codec      HTTP/1.1 decode (limits, strict framing, no obs-fold) and encode
 * validation request head -> RequestHead, or LocalReply (400/414/417/431/501/505)
 * rewrite    origin-form, hop-by-hop headers out, Via / x-forwarded-* / x-request-id in
 * target     outbound: Router -> RoutedRequest or LocalReply (404/503); inbound: the local app
 * exchange   one exchange at a time: forward and stream both ways, or answer locally
 * </pre>
 */
public final class HttpListener extends ChannelInitializer<Channel> {

  private final ProxyStats.Listener kind;
  private final ListenerSettings settings;
  private final UpstreamPools pools;
  private final ProxyStats stats;
  private final ChannelHandler counter;
  private final ChannelHandler validation;
  private final ChannelHandler target;
  private final ForwardSettings forward;

  private HttpListener(
      ProxyStats.Listener kind,
      ListenerSettings settings,
      UpstreamPools pools,
      ProxyStats stats,
      ChannelHandler target) {
    this.kind = kind;
    this.settings = settings;
    this.pools = pools;
    this.stats = stats;
    this.target = target;
    this.counter = new TrafficCounter(stats, kind);
    this.validation = new RequestValidation(settings.limits());
    this.forward =
        new ForwardSettings(
            kind, settings.via(), settings.resendBufferBytes(), settings.resendPolicy());
  }

  /** The local application's proxy: requests go where the router sends them. */
  public static HttpListener outbound(
      Router router, ListenerSettings settings, UpstreamPools pools, ProxyStats stats) {
    return new HttpListener(
        ProxyStats.Listener.OUTBOUND,
        settings,
        pools,
        stats,
        new ServiceRouting(router, settings.upstreamDefaults()));
  }

  /** Where peer sidecars connect: requests go to the local application at {@code app}. */
  public static HttpListener inbound(
      UpstreamAddress app, ListenerSettings settings, UpstreamPools pools, ProxyStats stats) {
    UpstreamDefaults defaults = settings.upstreamDefaults();
    Target local =
        new Target(app, defaults.connectTimeout(), defaults.idleTimeout(), Target.NO_LEASE);
    return new HttpListener(
        ProxyStats.Listener.INBOUND, settings, pools, stats, new LocalAppTarget(local));
  }

  @Override
  protected void initChannel(Channel channel) {
    channel
        .pipeline()
        .addLast("traffic", counter)
        .addLast(
            "idle",
            new IdleStateHandler(
                0, 0, settings.callerIdleTimeout().toMillis(), TimeUnit.MILLISECONDS))
        .addLast("codec", new Http1ServerCodec(settings.limits()))
        .addLast("validation", validation)
        .addLast("rewrite", new RequestRewrite(settings.via()))
        .addLast("target", target)
        .addLast("exchange", new ExchangeHandler(pools, forward, stats));
  }

  @Override
  public String toString() {
    return kind + " listener";
  }
}
