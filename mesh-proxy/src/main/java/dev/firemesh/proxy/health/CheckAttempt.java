package dev.firemesh.proxy.health;

import dev.firemesh.proxy.tls.UpstreamTls;
import dev.firemesh.traffic.config.ClusterConfig.HealthCheck;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamChannelBootstrap;
import io.netty.handler.codec.http2.Http2StreamFrame;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One active health check of one endpoint, on a connection of its own that is closed afterwards:
 * TCP passes when the connection opens, HTTP when {@code GET path} answers 2xx, gRPC when {@code
 * grpc.health.v1.Health/Check} (h2c, prior knowledge) answers SERVING with status OK. Anything
 * else, or no verdict within the timeout, fails. Runs on the bootstrap's event loop and reports
 * exactly once.
 */
final class CheckAttempt {
  static final String GRPC_HEALTH_PATH = "/grpc.health.v1.Health/Check";

  /** A HealthCheckRequest asking about the whole server (service ""): no fields, zero bytes. */
  private static final byte[] GRPC_EMPTY_REQUEST = {0, 0, 0, 0, 0};

  /** grpc.health.v1.HealthCheckResponse.ServingStatus.SERVING */
  private static final int SERVING = 1;

  private static final int MAX_GRPC_RESPONSE_BYTES = 1024;

  private final HealthCheck check;
  private final Consumer<Boolean> verdict;
  private boolean done;
  private Channel channel;
  private ScheduledFuture<?> timer;

  private final Secure secure;

  private CheckAttempt(HealthCheck check, Consumer<Boolean> verdict, Secure secure) {
    this.secure = secure;
    this.check = check;
    this.verdict = verdict;
  }

  /** Puts mTLS on a check's connection when its endpoint has an identity (see UpstreamTls). */
  interface Secure {
    void secure(Channel channel, UpstreamTls.Alpn alpn);
  }

  /**
   * Starts a check of {@code address}; {@code verdict} is called once, on the loop. Over mTLS the
   * check passes only if the peer also proved the endpoint's identity.
   */
  static void run(
      Bootstrap bootstrap,
      InetSocketAddress address,
      HealthCheck check,
      Secure secure,
      Consumer<Boolean> verdict) {
    CheckAttempt attempt = new CheckAttempt(check, verdict, secure);
    long timeoutMillis = Math.max(1, check.timeout().toMillis());
    ChannelFuture connect =
        bootstrap
            .clone()
            .option(
                ChannelOption.CONNECT_TIMEOUT_MILLIS,
                (int) Math.min(Integer.MAX_VALUE, timeoutMillis))
            .handler(attempt.initializer())
            .connect(address);
    attempt.channel = connect.channel();
    attempt.timer =
        connect
            .channel()
            .eventLoop()
            .schedule(() -> attempt.finish(false), timeoutMillis, TimeUnit.MILLISECONDS);
    connect.addListener(
        (ChannelFuture connected) -> {
          if (!connected.isSuccess()) {
            attempt.finish(false);
            return;
          }
          UpstreamTls.ready(connected.channel())
              .addListener(
                  ready -> {
                    if (ready.isSuccess()) {
                      attempt.ask(connected.channel());
                    } else {
                      attempt.finish(false);
                    }
                  });
        });
  }

  private void finish(boolean passed) {
    if (done) {
      return;
    }
    done = true;
    if (timer != null) {
      timer.cancel(false);
    }
    channel.close();
    verdict.accept(passed);
  }

  private ChannelInitializer<Channel> initializer() {
    return new ChannelInitializer<>() {
      @Override
      protected void initChannel(Channel ch) {
        switch (check.type()) {
          case TCP -> ch.pipeline().addLast(new Closing());
          case HTTP ->
              ch.pipeline().addLast(new HttpClientCodec(), new HttpVerdict(), new Closing());
          case GRPC ->
              ch.pipeline()
                  .addLast(
                      Http2FrameCodecBuilder.forClient().build(),
                      new Http2MultiplexHandler(new ChannelInboundHandlerAdapter()),
                      new Closing());
        }
        secure.secure(
            ch,
            check.type() == HealthCheck.Type.GRPC ? UpstreamTls.Alpn.H2 : UpstreamTls.Alpn.HTTP1);
      }
    };
  }

  private void ask(Channel ch) {
    switch (check.type()) {
      case TCP -> finish(true);
      case HTTP -> {
        DefaultFullHttpRequest get =
            new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, check.path());
        get.headers()
            .set(HttpHeaderNames.HOST, check.authority())
            .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE)
            .set(HttpHeaderNames.USER_AGENT, "firemesh-health-check")
            .setInt(HttpHeaderNames.CONTENT_LENGTH, 0);
        ch.writeAndFlush(get).addListener(written -> failUnless(written.isSuccess()));
      }
      case GRPC ->
          new Http2StreamChannelBootstrap(ch)
              .handler(new GrpcVerdict())
              .open()
              .addListener(
                  opened -> {
                    if (!opened.isSuccess()) {
                      finish(false);
                      return;
                    }
                    Http2StreamChannel stream = (Http2StreamChannel) opened.getNow();
                    Http2Headers headers =
                        new DefaultHttp2Headers()
                            .method("POST")
                            .scheme("http")
                            .path(GRPC_HEALTH_PATH)
                            .authority(check.authority());
                    headers.set(HttpHeaderNames.CONTENT_TYPE, "application/grpc");
                    headers.set(HttpHeaderNames.TE, HttpHeaderValues.TRAILERS);
                    stream.write(new DefaultHttp2HeadersFrame(headers, false));
                    stream
                        .writeAndFlush(
                            new DefaultHttp2DataFrame(
                                Unpooled.wrappedBuffer(GRPC_EMPTY_REQUEST), true))
                        .addListener(written -> failUnless(written.isSuccess()));
                  });
    }
  }

  private void failUnless(boolean ok) {
    if (!ok) {
      finish(false);
    }
  }

  /** Fails the check if the connection ends or breaks before a verdict. */
  private final class Closing extends ChannelInboundHandlerAdapter {
    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      finish(false);
      ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      finish(false);
    }
  }

  private final class HttpVerdict extends SimpleChannelInboundHandler<HttpObject> {
    private int status;

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, HttpObject message) {
      if (message instanceof HttpResponse response) {
        status = response.status().code();
      }
      if (message instanceof LastHttpContent) {
        finish(status >= 200 && status < 300);
      }
    }
  }

  /** Reads the one response of the stream: headers, one length-prefixed message, trailers. */
  private final class GrpcVerdict extends SimpleChannelInboundHandler<Http2StreamFrame> {
    private boolean headersSeen;
    private final byte[] body = new byte[MAX_GRPC_RESPONSE_BYTES];
    private int bodyLength;

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, Http2StreamFrame frame) {
      if (frame instanceof Http2HeadersFrame headers) {
        if (!headersSeen) {
          headersSeen = true;
          if (!"200".contentEquals(headers.headers().status())) {
            finish(false);
            return;
          }
        }
        CharSequence grpcStatus = headers.headers().get("grpc-status");
        if (grpcStatus != null || headers.isEndStream()) {
          finish(grpcStatus != null && "0".contentEquals(grpcStatus) && servingStatus() == SERVING);
        }
      } else if (frame instanceof Http2DataFrame data) {
        int readable = data.content().readableBytes();
        if (bodyLength + readable > body.length) {
          finish(false);
          return;
        }
        data.content().readBytes(body, bodyLength, readable);
        bodyLength += readable;
        if (data.isEndStream()) {
          finish(false); // a gRPC response ends with trailers
        }
      }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      finish(false);
    }

    /** The {@code status} (field 1) of the one HealthCheckResponse; -1 if there is none. */
    private int servingStatus() {
      if (bodyLength < 5 || body[0] != 0) {
        return -1; // no message, or a compressed one
      }
      int length =
          ((body[1] & 0xff) << 24)
              | ((body[2] & 0xff) << 16)
              | ((body[3] & 0xff) << 8)
              | (body[4] & 0xff);
      if (length != bodyLength - 5) {
        return -1;
      }
      return GrpcHealthResponse.status(body, 5, bodyLength);
    }
  }
}
