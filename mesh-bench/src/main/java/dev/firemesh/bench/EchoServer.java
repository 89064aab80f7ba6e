package dev.firemesh.bench;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerKeepAliveHandler;
import io.netty.handler.codec.http.HttpVersion;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * An HTTP/1.1 upstream for benchmarks that answers every request with 200 and its own body (or a
 * body of a fixed size), so scenarios need no nginx. Optionally stalls once (see {@link Stall}).
 */
public final class EchoServer implements AutoCloseable {

  private static final int MAX_BODY_BYTES = 16 * 1024 * 1024;

  private final EventLoopGroup group;
  private final Channel server;

  private EchoServer(EventLoopGroup group, Channel server) {
    this.group = group;
    this.server = server;
  }

  /** Starts on {@code bind} (port 0 for an ephemeral one); threads 0 means Netty's default. */
  public static EchoServer start(
      InetSocketAddress bind, EchoBody body, Optional<Stall> stall, int threads)
      throws InterruptedException {
    if (!bind.getAddress().isLoopbackAddress()) {
      throw new IllegalArgumentException("the echo server binds loopback only, not " + bind);
    }
    Transport transport = Transport.select();
    EventLoopGroup group = new MultiThreadIoEventLoopGroup(threads, transport.ioHandlerFactory());
    ByteBuf fixed =
        switch (body) {
          case EchoBody.Echo() -> Unpooled.EMPTY_BUFFER;
          case EchoBody.Fixed(int bytes) ->
              Unpooled.unreleasableBuffer(Unpooled.wrappedBuffer(new byte[bytes]));
        };
    StallClock clock = new StallClock(stall);
    try {
      Channel server =
          new ServerBootstrap()
              .group(group)
              .channel(transport.serverChannelType())
              .childOption(ChannelOption.TCP_NODELAY, true)
              .childHandler(
                  new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                      ch.pipeline()
                          .addLast(new HttpServerCodec())
                          .addLast(new HttpServerKeepAliveHandler())
                          .addLast(new HttpObjectAggregator(MAX_BODY_BYTES))
                          .addLast(new Responder(body, fixed, clock));
                    }
                  })
              .bind(bind)
              .sync()
              .channel();
      return new EchoServer(group, server);
    } catch (InterruptedException | RuntimeException e) {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
      throw e;
    }
  }

  public int port() {
    return ((InetSocketAddress) server.localAddress()).getPort();
  }

  @Override
  public void close() {
    server.close().syncUninterruptibly();
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
  }

  /** The stall's window, fixed by the first request any connection sees. */
  private static final class StallClock {
    private final Optional<Stall> stall;
    private final AtomicLong firstRequestNanos = new AtomicLong(Long.MIN_VALUE);

    StallClock(Optional<Stall> stall) {
      this.stall = stall;
    }

    /** When a response ready at {@code now} may go out: now, or the end of the stall. */
    long releaseAt(long now) {
      if (stall.isEmpty()) {
        return now;
      }
      firstRequestNanos.compareAndSet(Long.MIN_VALUE, now);
      long start = firstRequestNanos.get() + stall.get().after().toNanos();
      long end = start + stall.get().length().toNanos();
      return now >= start && now < end ? end : now;
    }
  }

  private static final class Responder extends SimpleChannelInboundHandler<FullHttpRequest> {
    private final EchoBody body;
    private final ByteBuf fixed;
    private final StallClock clock;
    // responses held by a stall, oldest first; they go out in order and nothing overtakes them
    private final ArrayDeque<FullHttpResponse> held = new ArrayDeque<>();
    private long heldUntil;

    Responder(EchoBody body, ByteBuf fixed, StallClock clock) {
      this.body = body;
      this.fixed = fixed;
      this.clock = clock;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
      ByteBuf content =
          body instanceof EchoBody.Echo ? request.content().retain() : fixed.duplicate();
      FullHttpResponse response =
          new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK, content);
      response
          .headers()
          .set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_OCTET_STREAM)
          .setInt(HttpHeaderNames.CONTENT_LENGTH, content.readableBytes());
      long now = System.nanoTime();
      long release = Math.max(clock.releaseAt(now), heldUntil);
      if (release <= now && held.isEmpty()) {
        ctx.writeAndFlush(response);
        return;
      }
      heldUntil = release;
      held.add(response);
      ctx.executor()
          .schedule(
              () -> {
                FullHttpResponse next = held.poll();
                if (next != null) {
                  ctx.writeAndFlush(next);
                }
              },
              Math.max(0, release - now),
              TimeUnit.NANOSECONDS);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      // held responses will never be written: they are ours to release
      FullHttpResponse next;
      while ((next = held.poll()) != null) {
        next.release();
      }
      ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      ctx.close();
    }
  }

  /** Runs an echo server until the process is stopped. */
  public static void main(String[] args) {
    System.exit(new CommandLine(new Cli()).execute(args));
  }

  @Command(
      name = "echo-server",
      mixinStandardHelpOptions = true,
      description = "An HTTP/1.1 upstream that answers every request with its body.")
  static final class Cli implements Callable<Integer> {
    @Option(names = "--port", description = "port on 127.0.0.1 (0: ephemeral)", defaultValue = "0")
    int port;

    @Option(
        names = "--response-bytes",
        description = "answer with this many bytes instead of the request body (-1: echo)",
        defaultValue = "-1")
    int responseBytes;

    @Option(
        names = "--threads",
        description = "event loops (0: Netty's default)",
        defaultValue = "0")
    int threads;

    @Option(
        names = "--stall-after",
        description = "pause all responses once, this long after the first request (e.g. 8s)",
        converter = LoadGenerator.DurationConverter.class)
    Optional<Duration> stallAfter;

    @Option(
        names = "--stall",
        defaultValue = "500ms",
        description = "how long that pause lasts (default: 500ms)",
        converter = LoadGenerator.DurationConverter.class)
    Duration stallLength;

    @Override
    public Integer call() throws InterruptedException {
      EchoBody body = responseBytes < 0 ? new EchoBody.Echo() : new EchoBody.Fixed(responseBytes);
      Optional<Stall> stall = stallAfter.map(after -> new Stall(after, stallLength));
      EchoServer server = start(new InetSocketAddress("127.0.0.1", port), body, stall, threads);
      System.out.println("echo server listening on 127.0.0.1:" + server.port());
      Runtime.getRuntime().addShutdownHook(new Thread(server::close));
      new CountDownLatch(1).await();
      return 0;
    }
  }
}
