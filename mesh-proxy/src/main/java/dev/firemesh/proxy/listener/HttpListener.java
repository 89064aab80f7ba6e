package dev.firemesh.proxy.listener;

import dev.firemesh.proxy.forward.ExchangeHandler;
import dev.firemesh.proxy.forward.ForwardSettings;
import dev.firemesh.proxy.http.CallerStamp;
import dev.firemesh.proxy.http.ForwardingHeaders;
import dev.firemesh.proxy.http.Http1ServerCodec;
import dev.firemesh.proxy.http.RequestRewrite;
import dev.firemesh.proxy.http.RequestValidation;
import dev.firemesh.proxy.http.StreamHeaders;
import dev.firemesh.proxy.mirror.MirrorSettings;
import dev.firemesh.proxy.mirror.MirrorTap;
import dev.firemesh.proxy.stats.ProxyStats;
import dev.firemesh.proxy.tcp.InboundTunnels;
import dev.firemesh.proxy.tcp.TunnelSelector;
import dev.firemesh.proxy.tls.InboundTls;
import dev.firemesh.proxy.tls.VerifiedCaller;
import dev.firemesh.proxy.upstream.UpstreamPools;
import dev.firemesh.proxy.upstream.UpstreamProtocol;
import dev.firemesh.traffic.ratelimit.RateLimiter;
import dev.firemesh.traffic.route.Router;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamFrameToHttpObjectCodec;
import io.netty.handler.timeout.IdleStateHandler;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Assembles a listener's pipeline for each accepted connection. Both listeners are the same stack
 * but for the target handler. The first bytes choose the protocol: the HTTP/2 connection preface
 * (h2c with prior knowledge) or HTTP/1.1.
 *
 * <pre>
 * traffic    count bytes in and out
 * idle       signal a caller connection idle past the timeout
 * mtls       inbound: mTLS or plaintext by the service's mode and the first bytes; replaced by
 *            the TLS handler (and the peer identity stamp) or removed
 * protocol   HTTP/2 preface or not; replaced by one of the two stacks below
 *
 * HTTP/1.1, on the connection:
 * codec      HTTP/1.1 decode (limits, strict framing, no obs-fold) and encode
 * validation request head -> RequestHead, or LocalReply (400/414/417/431/501/505)
 * rewrite    origin-form, hop-by-hop headers out, Via / x-forwarded-* / x-request-id in, this
 *            hop's traceparent
 * caller     outbound: x-firemesh-caller set to this sidecar's service; inbound: over mTLS, set
 *            to the verified peer's service
 * authz      inbound: path normal form (400), authorization policies -> LocalReply 403 (gRPC
 *            PERMISSION_DENIED)
 * ratelimit  inbound: the service's local rate limits -> LocalReply 429 (gRPC RESOURCE_EXHAUSTED)
 * target     outbound: Router -> RoutedRequest or LocalReply (404/503, redirects, direct
 *            responses); inbound: the local app
 * mirror     outbound only: copies of mirrored requests to their mirrors, fire and forget
 * exchange   one exchange at a time: forward and stream both ways, or answer locally; when
 *            it ends, its record goes to the listener's exchange observer (telemetry)
 *
 * HTTP/2, on the connection:
 * codec      HTTP/2 frames, flow control, HPACK; header list limit (431), header rules (RST_STREAM)
 * streams    one child channel per stream
 * connection connection window, idle close
 * and on each stream, the HTTP/1.1 stack from validation on, after:
 * codec      frames to HTTP objects and back (trailers as the last piece's trailing headers)
 * headers    the codec's x-http2-* headers out; a request ended by HEADERS split as HTTP/1.1's
 * </pre>
 *
 * The local application is spoken to in the protocol the caller used: an HTTP/2 request goes to it
 * over h2c with prior knowledge, an HTTP/1.1 one over HTTP/1.1. So a gRPC application gets gRPC and
 * a plain one gets what its client sent, with nothing to configure.
 */
public final class HttpListener extends ChannelInitializer<Channel> {

  private final ProxyStats.Listener kind;
  private final ListenerSettings settings;
  private final UpstreamPools pools;
  private final ProxyStats stats;
  private final ChannelHandler counter;
  private final ChannelHandler validation;
  private final List<Named> policies;
  private final Optional<Supplier<ChannelHandler>> tls;
  private final ChannelHandler http1Target;
  private final ChannelHandler http2Target;
  private final ForwardSettings forward;
  private final Optional<InboundTunnels> tunnels;
  private final Optional<MirrorTap.Factory> mirrors;

  private HttpListener(
      ProxyStats.Listener kind,
      ListenerSettings settings,
      UpstreamPools pools,
      ProxyStats stats,
      List<Named> policies,
      ChannelHandler http1Target,
      ChannelHandler http2Target,
      InboundTunnels tunnels,
      MirrorTap.Factory mirrors,
      Supplier<ChannelHandler> tls,
      String service) {
    this.tunnels = Optional.ofNullable(tunnels);
    this.mirrors = Optional.ofNullable(mirrors);
    this.tls = Optional.ofNullable(tls);
    this.policies = List.copyOf(policies);
    this.kind = kind;
    this.settings = settings;
    this.pools = pools;
    this.stats = stats;
    this.http1Target = http1Target;
    this.http2Target = http2Target;
    this.counter = new TrafficCounter(stats, kind);
    this.validation = new RequestValidation(settings.limits());
    this.forward =
        new ForwardSettings(
            kind,
            settings.viaName(),
            settings.resendBufferBytes(),
            settings.resendPolicy(),
            settings.drain(),
            service,
            settings.observer());
  }

  /**
   * The local application's proxy: requests go where the router sends them, saying that {@code
   * service} sent them (see {@link CallerStamp}).
   *
   * @param service this sidecar's service; empty if none
   */
  public static HttpListener outbound(
      Router router,
      ListenerSettings settings,
      UpstreamPools pools,
      ProxyStats stats,
      String service) {
    ServiceRouting routing = new ServiceRouting(router, settings.upstreamDefaults());
    return new HttpListener(
        ProxyStats.Listener.OUTBOUND,
        settings,
        pools,
        stats,
        List.of(new Named("caller", new CallerStamp(service))),
        routing,
        routing,
        null,
        MirrorTap.factory(pools, MirrorSettings.DEFAULT, stats),
        null,
        service);
  }

  /**
   * Where peer sidecars connect: requests go to the local application's HTTP port, in the protocol
   * the caller used; a connection that opens with {@code CONNECT} is a tunnel to one of its tcp
   * ports (see {@link TunnelSelector}). Requests pass {@code limits}, the service's local rate
   * limits, first. Each connection starts with {@code tls} ({@link InboundTls}: mTLS or plaintext
   * by the service's mode); a verified peer's service is the caller ({@link VerifiedCaller}).
   */
  public static HttpListener inbound(
      InboundTunnels local,
      RateLimiter limits,
      ListenerSettings settings,
      UpstreamPools pools,
      ProxyStats stats,
      Supplier<ChannelHandler> tls) {
    return new HttpListener(
        ProxyStats.Listener.INBOUND,
        settings,
        pools,
        stats,
        List.of(
            new Named("caller", VerifiedCaller.INSTANCE),
            new Named("authz", new InboundAuthorization(local)),
            new Named("ratelimit", new InboundRateLimit(limits))),
        new LocalAppTarget(
            local, UpstreamProtocol.HTTP1, settings.upstreamDefaults(), stats.localApp()),
        new LocalAppTarget(
            local, UpstreamProtocol.HTTP2, settings.upstreamDefaults(), stats.localApp()),
        local,
        null,
        tls,
        local.service());
  }

  /** A handler of the request stack with its pipeline name. */
  private record Named(String name, ChannelHandler handler) {}

  @Override
  protected void initChannel(Channel channel) {
    channel
        .pipeline()
        .addLast("traffic", counter)
        .addLast(
            "idle",
            new IdleStateHandler(
                0, 0, settings.callerIdleTimeout().toMillis(), TimeUnit.MILLISECONDS))
        .addLast("protocol", new ProtocolSelector(this::http1, this::http2));
    tls.ifPresent(inboundTls -> channel.pipeline().addBefore("protocol", "mtls", inboundTls.get()));
    tunnels.ifPresent(
        local ->
            channel
                .pipeline()
                .addBefore("protocol", "tunnels", new TunnelSelector(local, "protocol")));
  }

  private void http1(ChannelPipeline pipeline) {
    pipeline
        .addLast("codec", new Http1ServerCodec(settings.limits()))
        .addLast("validation", validation)
        .addLast(
            "rewrite", new RequestRewrite(via(ForwardingHeaders.HTTP_1_1), settings.tracing()));
    policies.forEach(named -> pipeline.addLast(named.name(), named.handler()));
    pipeline.addLast("target", http1Target);
    mirrors.ifPresent(taps -> pipeline.addLast("mirror", taps.newTap()));
    pipeline.addLast("exchange", ExchangeHandler.forConnection(pools, forward, stats));
  }

  private void http2(ChannelPipeline pipeline) {
    Http2Settings initial =
        new Http2Settings()
            .maxConcurrentStreams(settings.limits().maxConcurrentStreams())
            .maxHeaderListSize(settings.limits().maxHeaderBytes())
            .initialWindowSize(settings.windows().stream());
    Http2FrameCodec codec =
        Http2FrameCodecBuilder.forServer().initialSettings(initial).validateHeaders(true).build();
    String via = via(ForwardingHeaders.HTTP_2);
    pipeline
        .addLast("codec", codec)
        .addLast(
            "streams",
            new Http2MultiplexHandler(
                new ChannelInitializer<Http2StreamChannel>() {
                  @Override
                  protected void initChannel(Http2StreamChannel stream) {
                    stream
                        .pipeline()
                        .addLast("codec", new Http2StreamFrameToHttpObjectCodec(true, true))
                        .addLast("headers", StreamHeaders.INSTANCE)
                        .addLast("validation", validation)
                        .addLast("rewrite", new RequestRewrite(via, settings.tracing()));
                    policies.forEach(
                        named -> stream.pipeline().addLast(named.name(), named.handler()));
                    stream.pipeline().addLast("target", http2Target);
                    mirrors.ifPresent(taps -> stream.pipeline().addLast("mirror", taps.newTap()));
                    stream
                        .pipeline()
                        .addLast("exchange", ExchangeHandler.forStream(pools, forward, stats));
                  }
                }))
        .addLast(
            "connection",
            new Http2CallerConnection(codec, settings.windows(), kind.name(), settings.drain()));
  }

  private String via(String protocol) {
    return protocol + " " + settings.viaName();
  }

  @Override
  public String toString() {
    return kind + " listener";
  }
}
