package dev.firemesh.proxy.admin;

import dev.firemesh.proxy.stats.Footprint;
import dev.firemesh.traffic.balance.ClusterState;
import dev.firemesh.traffic.config.DataPlaneConfig;
import dev.firemesh.traffic.health.EjectionReason;
import dev.firemesh.traffic.route.ClusterRuntime;
import dev.firemesh.traffic.route.Router;
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
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Answers the admin endpoints from the sidecar's current state:
 *
 * <ul>
 *   <li>{@code GET /ready}: 200 once a configuration has been applied, 503 before and while the
 *       sidecar drains (so an orchestrator's probe takes it out of rotation too)
 *   <li>{@code GET /config_dump}: the configuration in force as JSON (503 before there is one),
 *       with the sidecar's mTLS state under {@code tls}
 *   <li>{@code GET /certs}: the mTLS state alone: identity, serial, validity, provider, trust
 *       bundle fingerprints (never key material)
 *   <li>{@code GET /clusters}: every cluster's endpoints as the router sees them now: locality,
 *       priority, weight, whether requests go there, requests in flight, health (ejected until,
 *       failing its active check), ejection counts
 *   <li>{@code GET /stats}: counters and the process's footprint, one {@code name value} line each
 *   <li>{@code GET /stats/prometheus}: the same in Prometheus text format 0.0.4, then the
 *       extension's own families (the golden metrics of every edge)
 *   <li>the pages of an {@link AdminExtension}, such as {@code firemesh run}'s {@code /app}
 * </ul>
 *
 * <p>The two stats pages read {@code /proc} and the JVM's management beans, which is file I/O: they
 * are put together on the {@code reports} executor, never on the event loop, and the connection
 * reads no further request until the answer is written, so answers keep the requests' order.
 */
@Sharable
public final class AdminHandler extends SimpleChannelInboundHandler<FullHttpRequest> {

  private static final String TEXT = "text/plain; charset=utf-8";
  private static final String JSON = "application/json";

  private final Supplier<Optional<DataPlaneConfig>> config;
  private final Router router;
  private final BooleanSupplier draining;
  private final Supplier<Map<String, Long>> counters;
  private final Supplier<Footprint> footprint;
  private final Executor reports;
  private final Optional<ClusterRuntime> localApp;
  private final AdminExtension extension;
  private final Supplier<Map<String, Object>> tls;

  /**
   * @param counters the sidecar's counters by their {@code /stats} name
   * @param footprint measures the process; called on {@code reports}
   * @param reports where the stats pages are put together, off the event loops
   */
  public AdminHandler(
      Supplier<Optional<DataPlaneConfig>> config,
      Router router,
      BooleanSupplier draining,
      Supplier<Map<String, Long>> counters,
      Supplier<Footprint> footprint,
      Executor reports) {
    this(config, router, draining, counters, footprint, reports, Optional.empty());
  }

  /**
   * @param localApp the inbound side's counters for the local app, reported beside clusters
   */
  public AdminHandler(
      Supplier<Optional<DataPlaneConfig>> config,
      Router router,
      BooleanSupplier draining,
      Supplier<Map<String, Long>> counters,
      Supplier<Footprint> footprint,
      Executor reports,
      Optional<ClusterRuntime> localApp) {
    this(config, router, draining, counters, footprint, reports, localApp, AdminExtension.NONE);
  }

  /** The same, with {@code extension}'s pages and metrics besides the sidecar's own. */
  public AdminHandler(
      Supplier<Optional<DataPlaneConfig>> config,
      Router router,
      BooleanSupplier draining,
      Supplier<Map<String, Long>> counters,
      Supplier<Footprint> footprint,
      Executor reports,
      Optional<ClusterRuntime> localApp,
      AdminExtension extension) {
    this(config, router, draining, counters, footprint, reports, localApp, extension, Map::of);
  }

  /**
   * The same, with the sidecar's mTLS state ({@code tls}: identity, serial, validity, provider,
   * trust bundle fingerprints; never key material) in {@code /config_dump} and on {@code /certs}.
   */
  public AdminHandler(
      Supplier<Optional<DataPlaneConfig>> config,
      Router router,
      BooleanSupplier draining,
      Supplier<Map<String, Long>> counters,
      Supplier<Footprint> footprint,
      Executor reports,
      Optional<ClusterRuntime> localApp,
      AdminExtension extension,
      Supplier<Map<String, Object>> tls) {
    this.tls = Objects.requireNonNull(tls, "tls");
    this.localApp = localApp;
    this.extension = Objects.requireNonNull(extension, "extension");
    this.config = config;
    this.router = router;
    this.draining = draining;
    this.counters = counters;
    this.footprint = footprint;
    this.reports = reports;
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
    boolean keepAlive = HttpUtil.isKeepAlive(request) && request.decoderResult().isSuccess();
    String path = new QueryStringDecoder(request.uri()).path();
    boolean statsPage =
        request.decoderResult().isSuccess()
            && request.method().equals(HttpMethod.GET)
            && (path.equals("/stats") || path.equals("/stats/prometheus"));
    if (!statsPage) {
      send(ctx, answer(ctx, request, path), keepAlive);
      return;
    }
    ctx.channel().config().setAutoRead(false);
    try {
      reports.execute(
          () -> {
            Report answer = report(path);
            ctx.executor()
                .execute(
                    () -> {
                      send(
                          ctx,
                          respond(ctx, answer.status(), answer.type(), answer.body()),
                          keepAlive);
                      ctx.channel().config().setAutoRead(true);
                    });
          });
    } catch (RejectedExecutionException e) {
      // The sidecar is closing.
      ctx.channel().config().setAutoRead(true);
      send(ctx, respond(ctx, HttpResponseStatus.SERVICE_UNAVAILABLE, TEXT, "closing\n"), false);
    }
  }

  private static void send(
      ChannelHandlerContext ctx, FullHttpResponse response, boolean keepAlive) {
    HttpUtil.setKeepAlive(response, keepAlive);
    var written = ctx.writeAndFlush(response);
    if (!keepAlive) {
      written.addListener(ChannelFutureListener.CLOSE);
    }
  }

  private FullHttpResponse answer(ChannelHandlerContext ctx, FullHttpRequest request, String path) {
    if (request.decoderResult().isFailure()) {
      return respond(ctx, HttpResponseStatus.BAD_REQUEST, TEXT, "malformed request\n");
    }
    if (!request.method().equals(HttpMethod.GET)) {
      FullHttpResponse refused =
          respond(ctx, HttpResponseStatus.METHOD_NOT_ALLOWED, TEXT, "only GET is served\n");
      refused.headers().set(HttpHeaderNames.ALLOW, "GET");
      return refused;
    }
    Optional<DataPlaneConfig> current = config.get();
    return switch (path) {
      case "/ready" ->
          draining.getAsBoolean()
              ? respond(ctx, HttpResponseStatus.SERVICE_UNAVAILABLE, TEXT, "draining\n")
              : current.isPresent()
                  ? respond(ctx, HttpResponseStatus.OK, TEXT, "ready\n")
                  : respond(
                      ctx, HttpResponseStatus.SERVICE_UNAVAILABLE, TEXT, "no configuration yet\n");
      case "/clusters" ->
          current.isPresent()
              ? respond(
                  ctx,
                  HttpResponseStatus.OK,
                  JSON,
                  ConfigJson.encode(
                      java.util.Map.of("clusters", ClusterStatus.of(current.get(), router))))
              : respond(
                  ctx, HttpResponseStatus.SERVICE_UNAVAILABLE, TEXT, "no configuration yet\n");
      case "/certs" -> respond(ctx, HttpResponseStatus.OK, JSON, ConfigJson.encode(tls.get()));
      case "/config_dump" ->
          current.isPresent()
              ? respond(ctx, HttpResponseStatus.OK, JSON, configDump(current.get()))
              : respond(
                  ctx, HttpResponseStatus.SERVICE_UNAVAILABLE, TEXT, "no configuration yet\n");
      default -> {
        Supplier<String> page = extension.jsonPages().get(path);
        yield page != null
            ? respond(ctx, HttpResponseStatus.OK, JSON, page.get())
            : respond(
                ctx,
                HttpResponseStatus.NOT_FOUND,
                TEXT,
                "unknown admin path; try /ready, /config_dump, /clusters, /certs, /stats,"
                    + " /stats/prometheus"
                    + extension.jsonPages().keySet().stream()
                        .map(p -> ", " + p)
                        .reduce("", String::concat)
                    + "\n");
      }
    };
  }

  private String configDump(DataPlaneConfig current) {
    Map<String, Object> state = tls.get();
    return state.isEmpty()
        ? ConfigJson.encode(current)
        : ConfigJson.encode(current, Map.of("tls", state));
  }

  private record Report(HttpResponseStatus status, String type, String body) {}

  /** Every configured cluster's breaker and counters, and the local app's. */
  private Map<String, ClusterRuntime> clusterRuntimes() {
    Map<String, ClusterRuntime> runtimes = new HashMap<>();
    config
        .get()
        .ifPresent(
            c ->
                c.clusters()
                    .keySet()
                    .forEach(name -> router.runtime(name).ifPresent(r -> runtimes.put(name, r))));
    localApp.ifPresent(app -> runtimes.put(PrometheusText.LOCAL_APP, app));
    return runtimes;
  }

  /** Runs on {@code reports}. */
  private Report report(String path) {
    try {
      return path.equals("/stats")
          ? new Report(HttpResponseStatus.OK, TEXT, statsText())
          : new Report(
              HttpResponseStatus.OK,
              PrometheusText.CONTENT_TYPE,
              PrometheusText.render(
                      counters.get(),
                      footprint.get(),
                      clusterRuntimes(),
                      clusterStates(),
                      extension.metrics())
                  + extension.exposition());
    } catch (RuntimeException e) {
      return new Report(
          HttpResponseStatus.INTERNAL_SERVER_ERROR, TEXT, "cannot report: " + e + "\n");
    }
  }

  private String statsText() {
    StringBuilder out = new StringBuilder(2048);
    counters.get().forEach((name, value) -> line(out, name, value));
    footprint.get().asStats().forEach((name, value) -> line(out, name, value));
    for (ClusterState cluster : clusterStates()) {
      if (!cluster.config().outlierDetection().enabled()
          && !cluster.config().healthCheck().enabled()) {
        continue;
      }
      String prefix = "cluster." + cluster.config().name() + ".";
      for (EjectionReason reason : EjectionReason.values()) {
        line(out, prefix + "ejections." + reason.label(), cluster.health().ejections(reason));
      }
      line(out, prefix + "endpoints.healthy", cluster.health().healthyCount());
      line(out, prefix + "endpoints.ejected", cluster.health().ejectedCount());
      line(out, prefix + "panic", cluster.panic() ? 1 : 0);
      line(out, prefix + "health_checks.passed", cluster.health().checksPassed());
      line(out, prefix + "health_checks.failed", cluster.health().checksFailed());
    }
    extension.metrics().forEach(metric -> line(out, metric.name(), metric.value()));
    return out.toString();
  }

  /** The live state of every configured cluster, by name. */
  private java.util.List<ClusterState> clusterStates() {
    return config.get().stream()
        .flatMap(c -> c.clusters().keySet().stream().sorted())
        .flatMap(name -> router.cluster(name).stream())
        .toList();
  }

  private static void line(StringBuilder out, String name, long value) {
    out.append(name).append(' ').append(value).append('\n');
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
