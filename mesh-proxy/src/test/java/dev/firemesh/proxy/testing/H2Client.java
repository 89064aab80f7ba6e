package dev.firemesh.proxy.testing;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2Headers;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2ResetFrame;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamChannelBootstrap;
import io.netty.util.ReferenceCountUtil;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A plain HTTP/2 client (Netty's own, h2c with prior knowledge) for requests that are not gRPC, and
 * for requests no well-behaved client library would send. It checks nothing itself: it reports what
 * came back, including a stream reset.
 */
public final class H2Client implements AutoCloseable {

  /**
   * What came back on one stream.
   *
   * @param headers the final response head; empty when the stream was reset first
   * @param trailers a HEADERS frame after the body, if any
   * @param reset the RST_STREAM error code, if the stream was reset
   */
  public record Response(
      Optional<Http2Headers> headers,
      byte[] body,
      Optional<Http2Headers> trailers,
      OptionalLong reset) {

    public int status() {
      return Integer.parseInt(headers.orElseThrow().status().toString());
    }

    public String text() {
      return new String(body, StandardCharsets.UTF_8);
    }
  }

  private final EventLoopGroup group =
      new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
  private final Channel connection;

  private H2Client(InetSocketAddress address) throws InterruptedException {
    connection =
        new Bootstrap()
            .group(group)
            .channel(NioSocketChannel.class)
            .handler(
                new ChannelInitializer<>() {
                  @Override
                  protected void initChannel(Channel channel) {
                    channel
                        .pipeline()
                        .addLast(
                            Http2FrameCodecBuilder.forClient()
                                .initialSettings(Http2Settings.defaultSettings().pushEnabled(false))
                                // Lets a test send what the server said it would not take.
                                .encoderIgnoreMaxHeaderListSize(true)
                                .validateHeaders(false)
                                .build())
                        .addLast(new Http2MultiplexHandler(new ChannelInboundHandlerAdapter()));
                  }
                })
            .connect(address)
            .sync()
            .channel();
  }

  public static H2Client connect(InetSocketAddress address) throws InterruptedException {
    return new H2Client(address);
  }

  /** Request headers with the pseudo-headers set; add more with {@code add}. */
  public static Http2Headers request(String method, String authority, String path) {
    return new DefaultHttp2Headers(false)
        .method(method)
        .scheme("http")
        .authority(authority)
        .path(path);
  }

  /** Sends one request on a new stream and waits (10 s at most) for how the stream ended. */
  public Response send(Http2Headers headers, byte[] body) throws Exception {
    return sendAsync(headers, body).get(10, TimeUnit.SECONDS);
  }

  /** Sends one request on a new stream; the future completes when the stream ends. */
  public CompletableFuture<Response> sendAsync(Http2Headers headers, byte[] body)
      throws InterruptedException {
    CompletableFuture<Response> done = new CompletableFuture<>();
    Http2StreamChannel stream =
        new Http2StreamChannelBootstrap(connection)
            .handler(new Collector(done))
            .open()
            .sync()
            .getNow();
    stream.write(new DefaultHttp2HeadersFrame(headers, body.length == 0));
    if (body.length > 0) {
      stream.write(new DefaultHttp2DataFrame(Unpooled.wrappedBuffer(body), true));
    }
    stream.flush();
    return done;
  }

  public boolean connectionOpen() {
    return connection.isActive();
  }

  @Override
  public void close() {
    connection.close().awaitUninterruptibly();
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly();
  }

  private static final class Collector extends ChannelInboundHandlerAdapter {
    private final CompletableFuture<Response> done;
    private final ByteArrayOutputStream body = new ByteArrayOutputStream();
    private Http2Headers headers;
    private Http2Headers trailers;

    Collector(CompletableFuture<Response> done) {
      this.done = done;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      try {
        boolean end = false;
        if (msg instanceof Http2HeadersFrame frame) {
          CharSequence status = frame.headers().status();
          if (headers == null && status != null && status.charAt(0) == '1') {
            return; // interim
          }
          if (headers == null) {
            headers = frame.headers();
          } else {
            trailers = frame.headers();
          }
          end = frame.isEndStream();
        } else if (msg instanceof Http2DataFrame frame) {
          ByteBuf content = frame.content();
          byte[] bytes = new byte[content.readableBytes()];
          content.readBytes(bytes);
          body.writeBytes(bytes);
          end = frame.isEndStream();
        }
        if (end) {
          complete(OptionalLong.empty());
        }
      } finally {
        ReferenceCountUtil.release(msg);
      }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
      if (evt instanceof Http2ResetFrame reset) {
        complete(OptionalLong.of(reset.errorCode()));
      }
      ReferenceCountUtil.release(evt);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      done.completeExceptionally(new IllegalStateException("stream closed with no end"));
    }

    private void complete(OptionalLong reset) {
      done.complete(
          new Response(
              Optional.ofNullable(headers),
              body.toByteArray(),
              Optional.ofNullable(trailers),
              reset));
    }
  }
}
