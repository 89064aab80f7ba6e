package dev.firemesh.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.Http2ConnectionHandler;
import io.netty.handler.codec.http2.Http2ConnectionHandlerBuilder;
import io.netty.handler.codec.http2.Http2FrameAdapter;
import io.netty.handler.codec.http2.Http2Headers;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class EchoServerTest {

  private static final InetSocketAddress LOOPBACK = new InetSocketAddress("127.0.0.1", 0);

  @Test
  void oneServerEchoesBodiesOverHttp1AndH2OnTheSamePort() throws Exception {
    byte[] body = new byte[40_000]; // three DATA frames at the default frame size
    new Random(7).nextBytes(body);
    try (EchoServer echo = EchoServer.start(LOOPBACK, new EchoBody.Echo(), Optional.empty(), 1);
        HttpClient http1 = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
      HttpResponse<byte[]> overHttp1 =
          http1.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + echo.port() + "/"))
                  .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                  .build(),
              HttpResponse.BodyHandlers.ofByteArray());
      H2Answer overH2 = h2Post(echo.port(), body);

      assertThat(overHttp1.statusCode()).isEqualTo(200);
      assertThat(overHttp1.body()).isEqualTo(body);
      assertThat(overH2.status()).isEqualTo("200");
      assertThat(overH2.body()).isEqualTo(body);
      // The count goes up once the answer is written, which the client may read first.
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      while (echo.answered() < 2 && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      assertThat(echo.answered()).isEqualTo(2);
    }
  }

  @Test
  void overH2AFixedBodyAnswersWhateverWasSent() throws Exception {
    try (EchoServer echo =
        EchoServer.start(LOOPBACK, new EchoBody.Fixed(128), Optional.empty(), 1)) {
      H2Answer answer = h2Post(echo.port(), new byte[] {1, 2, 3});

      assertThat(answer.status()).isEqualTo("200");
      assertThat(answer.body()).hasSize(128).containsOnly(0);
    }
  }

  @Test
  void closesAnHttp1ConnectionAfterEveryNthAnswer() throws Exception {
    try (EchoServer echo = EchoServer.start(LOOPBACK, new EchoBody.Echo(), Optional.empty(), 1, 3);
        HttpClient http1 = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
      StringBuilder connectionHeaders = new StringBuilder();
      for (int i = 0; i < 6; i++) {
        HttpResponse<String> response =
            http1.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + echo.port() + "/"))
                    .POST(HttpRequest.BodyPublishers.ofString("x" + i))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.body()).isEqualTo("x" + i);
        connectionHeaders.append(response.headers().firstValue("connection").orElse("-"));
        connectionHeaders.append(' ');
      }

      assertThat(connectionHeaders.toString()).isEqualTo("- - close - - close ");
    }
  }

  private record H2Answer(String status, byte[] body) {}

  /** One POST over a fresh h2c connection with prior knowledge. */
  private static H2Answer h2Post(int port, byte[] body) throws Exception {
    EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    try {
      CompletableFuture<H2Answer> answer = new CompletableFuture<>();
      ByteArrayOutputStream received = new ByteArrayOutputStream();
      String[] status = {""};
      Http2ConnectionHandler handler =
          new Http2ConnectionHandlerBuilder()
              .server(false)
              .frameListener(
                  new Http2FrameAdapter() {
                    @Override
                    public void onHeadersRead(
                        ChannelHandlerContext ctx,
                        int streamId,
                        Http2Headers headers,
                        int streamDependency,
                        short weight,
                        boolean exclusive,
                        int padding,
                        boolean endOfStream) {
                      status[0] = String.valueOf(headers.status());
                      if (endOfStream) {
                        answer.complete(new H2Answer(status[0], received.toByteArray()));
                      }
                    }

                    @Override
                    public int onDataRead(
                        ChannelHandlerContext ctx,
                        int streamId,
                        ByteBuf data,
                        int padding,
                        boolean endOfStream) {
                      int length = data.readableBytes();
                      byte[] chunk = new byte[length];
                      data.readBytes(chunk);
                      received.writeBytes(chunk);
                      if (endOfStream) {
                        answer.complete(new H2Answer(status[0], received.toByteArray()));
                      }
                      return length + padding;
                    }
                  })
              .build();
      Channel channel =
          new Bootstrap()
              .group(group)
              .channel(NioSocketChannel.class)
              .handler(handler)
              .connect("127.0.0.1", port)
              .sync()
              .channel();
      channel
          .eventLoop()
          .execute(
              () -> {
                ChannelHandlerContext ctx = channel.pipeline().context(handler);
                Http2Headers headers =
                    new DefaultHttp2Headers()
                        .method("POST")
                        .scheme("http")
                        .authority("echo")
                        .path("/");
                handler.encoder().writeHeaders(ctx, 3, headers, 0, false, ctx.newPromise());
                handler
                    .encoder()
                    .writeData(ctx, 3, Unpooled.wrappedBuffer(body), 0, true, ctx.newPromise());
                handler.flush(ctx);
              });
      H2Answer result = answer.get(10, TimeUnit.SECONDS);
      channel.close().sync();
      return result;
    } finally {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    }
  }
}
