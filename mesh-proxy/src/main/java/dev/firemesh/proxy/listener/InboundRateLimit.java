package dev.firemesh.proxy.listener;

import dev.firemesh.proxy.http.CallerIdentity;
import dev.firemesh.proxy.http.GrpcStatus;
import dev.firemesh.proxy.http.HttpRequestView;
import dev.firemesh.proxy.http.LocalReply;
import dev.firemesh.proxy.http.RequestHead;
import dev.firemesh.proxy.telemetry.ResponseFlag;
import dev.firemesh.traffic.ratelimit.RateLimiter;
import dev.firemesh.traffic.ratelimit.RetryAfter;
import dev.firemesh.traffic.ratelimit.RuleLimit;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.Optional;

/**
 * The inbound listener's local rate limits, before anything reaches the application: the first rule
 * that matches a request takes a token from its bucket (the caller's, from {@link CallerIdentity},
 * or the instance's); without one the request is answered here with 429, {@code retry-after} (whole
 * seconds until a token is back, at least 1) and {@code x-firemesh-ratelimited} naming the rule. A
 * gRPC caller gets RESOURCE_EXHAUSTED with the same headers. Its body, if any, is dropped by the
 * exchange as for any local answer. Tunnels (CONNECT) are connections, not requests, and are not
 * limited.
 */
@Sharable
final class InboundRateLimit extends ChannelInboundHandlerAdapter {
  static final String RATE_LIMITED = "x-firemesh-ratelimited";
  private static final String RETRY_AFTER = "retry-after";

  private final RateLimiter limiter;

  InboundRateLimit(RateLimiter limiter) {
    this.limiter = limiter;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof RequestHead head && limiter.active()) {
      Optional<RuleLimit> rule = limiter.match(new HttpRequestView(head.request()));
      if (rule.isPresent()) {
        long wait = rule.get().acquire(CallerIdentity.of(head.request().headers()));
        if (wait > 0) {
          ctx.fireChannelRead(refusal(head, rule.get().name(), RetryAfter.seconds(wait)));
          return;
        }
      }
    }
    ctx.fireChannelRead(msg);
  }

  private static LocalReply refusal(RequestHead head, String rule, long retryAfter) {
    return LocalReply.to(
            head,
            HttpResponseStatus.TOO_MANY_REQUESTS,
            "rate limited by " + rule + "; retry after " + retryAfter + " s")
        .withGrpcStatus(GrpcStatus.RESOURCE_EXHAUSTED)
        .withHeader(RETRY_AFTER, Long.toString(retryAfter))
        .withHeader(RATE_LIMITED, rule)
        .flagged(ResponseFlag.RATE_LIMITED);
  }
}
