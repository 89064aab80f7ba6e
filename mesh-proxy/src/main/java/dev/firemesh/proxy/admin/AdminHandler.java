package dev.firemesh.proxy.admin;

import dev.firemesh.proxy.stats.ProxyStats;
import dev.firemesh.traffic.config.DataPlaneConfig;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Answers the admin endpoints from the sidecar's current state:
 *
 * <ul>
 *   <li>{@code GET /ready}: 200 once a configuration has been applied, 503 before
 *   <li>{@code GET /config_dump}: the configuration in force as JSON (503 before there is one)
 *   <li>{@code GET /stats}: counters, one {@code name value} line each
 * </ul>
 */
@Sharable
public final class AdminHandler extends SimpleChannelInboundHandler<FullHttpRequest> {

  private static final String TEXT = "text/plain; charset=utf-8";
  private static final String JSON = "application/json";

  private final Supplier<Optional<DataPlaneConfig>> config;
  private final Supplier<Map<String, Long>> stats;

  public AdminHandler(Supplier<Optional<DataPlaneConfig>> config, ProxyStats stats) {
    this(config, stats::snapshot);
  }

  /** With {@code stats} giving every line of {@code /stats}, the sidecar's own gauges included. */
  public AdminHandler(
      Supplier<Optional<DataPlaneConfig>> config, Supplier<Map<String, Long>> stats) {
    this.config = config;
    this.stats = stats;
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
    FullHttpResponse response = answer(ctx, request);
    boolean keepAlive = HttpUtil.isKeepAlive(request) && request.decoderResult().isSuccess();
    HttpUtil.setKeepAlive(response, keepAlive);
    var written = ctx.writeAndFlush(response);
    if (!keepAlive) {
      written.addListener(ChannelFutureListener.CLOSE);
    }
  }

  private FullHttpResponse answer(ChannelHandlerContext ctx, FullHttpRequest request) {
    if (request.decoderResult().isFailure()) {
      return respond(ctx, HttpResponseStatus.BAD_REQUEST, TEXT, "malformed request\n");
    }
    if (!request.method().equals(HttpMethod.GET)) {
      FullHttpResponse refused =
          respond(ctx, HttpResponseStatus.METHOD_NOT_ALLOWED, TEXT, "only GET is served\n");
      refused.headers().set(HttpHeaderNames.ALLOW, "GET");
      return refused;
    }
    String path = new QueryStringDecoder(request.uri()).path();
    Optional<DataPlaneConfig> current = config.get();
    return switch (path) {
      case "/ready" ->
          current.isPresent()
              ? respond(ctx, HttpResponseStatus.OK, TEXT, "ready\n")
              : respond(
                  ctx, HttpResponseStatus.SERVICE_UNAVAILABLE, TEXT, "no configuration yet\n");
      case "/config_dump" ->
          current.isPresent()
              ? respond(ctx, HttpResponseStatus.OK, JSON, ConfigJson.encode(current.get()))
              : respond(
                  ctx, HttpResponseStatus.SERVICE_UNAVAILABLE, TEXT, "no configuration yet\n");
      case "/stats" -> respond(ctx, HttpResponseStatus.OK, TEXT, statsText());
      default ->
          respond(
              ctx,
              HttpResponseStatus.NOT_FOUND,
              TEXT,
              "unknown admin path; try /ready, /config_dump or /stats\n");
    };
  }

  private String statsText() {
    StringBuilder out = new StringBuilder(2048);
    stats.get().forEach((name, value) -> out.append(name).append(' ').append(value).append('\n'));
    return out.toString();
  }

  private static FullHttpResponse respond(
      ChannelHandlerContext ctx, HttpResponseStatus status, String type, String body) {
    ByteBuf content = ByteBufUtil.writeUtf8(ctx.alloc(), body);
    FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, content);
    response
        .headers()
        .set(HttpHeaderNames.CONTENT_TYPE, type)
        .setInt(HttpHeaderNames.CONTENT_LENGTH, content.readableBytes());
    return response;
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    ctx.close();
  }
}
