package dev.firemesh.bench;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerKeepAliveHandler;
import io.netty.util.concurrent.ImmediateEventExecutor;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * An upstream for benchmarks that answers every request with 200 and its own body (or a body of a
 * fixed size), so scenarios need no nginx. One port speaks HTTP/1.1 and HTTP/2 over cleartext with
 * prior knowledge, told apart by the connection's first bytes ({@link PriorKnowledge}). Optionally
 * stalls once (see {@link Stall}), or closes each connection after so many answers to exercise a
 * client's reconnects.
 */
public final class EchoServer implements AutoCloseable {

  private static final int MAX_BODY_BYTES = 16 * 1024 * 1024;

  private final EventLoopGroup group;
  private final Channel server;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final ChannelGroup connections; // open ones: a channel group forgets closed channels
  private final LongAdder answered;

  private EchoServer(
      EventLoopGroup group, Channel server, ChannelGroup connections, LongAdder answered) {
    this.group = group;
    this.server = server;
    this.connections = connections;
    this.answered = answered;
  }

  /** Starts on {@code bind} (port 0 for an ephemeral one); threads 0 means Netty's default. */
  public static EchoServer start(
      InetSocketAddress bind, EchoBody body, Optional<Stall> stall, int threads)
      throws InterruptedException {
    return start(bind, body, stall, threads, 0);
  }

  /**
   * Starts on {@code bind}, closing each connection after {@code closeEvery} answers (0: never):
   * HTTP/1.1 with {@code Connection: close} on that answer, HTTP/2 with a graceful GOAWAY.
   */
  public static EchoServer start(
      InetSocketAddress bind, EchoBody body, Optional<Stall> stall, int threads, int closeEvery)
      throws InterruptedException {
    if (closeEvery < 0) {
      throw new IllegalArgumentException(
          "close-every must be 0 (never) or more answers, was " + closeEvery);
    }
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
    LongAdder answered = new LongAdder();
    ChannelGroup connections = new DefaultChannelGroup(ImmediateEventExecutor.INSTANCE);
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
                      connections.add(ch);
                      ch.pipeline()
                          .addLast(
                              new PriorKnowledge(
                                  http1 ->
                                      http1
                                          .addLast(new HttpServerCodec())
                                          .addLast(new HttpServerKeepAliveHandler())
                                          .addLast(new HttpObjectAggregator(MAX_BODY_BYTES))
                                          .addLast(
                                              new Http1Echo(
                                                  body, fixed, clock, closeEvery, answered)),
                                  h2 ->
                                      h2.addLast(
                                          H2Echo.create(
                                              body, fixed, clock, closeEvery, answered))));
                    }
                  })
              .bind(bind)
              .sync()
              .channel();
      return new EchoServer(group, server, connections, answered);
    } catch (InterruptedException | RuntimeException e) {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
      throw e;
    }
  }

  /** Responses written so far, over every connection and both protocols. */
  public long answered() {
    return answered.sum();
  }

  public int port() {
    return ((InetSocketAddress) server.localAddress()).getPort();
  }

  /** Stops listening and closes every connection; closing again does nothing. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    server.close().syncUninterruptibly();
    // closed here, not left to the event loops' shutdown, which need not close their channels
    connections.close().syncUninterruptibly();
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
  }

  /** Runs an echo server until the process is stopped. */
  public static void main(String[] args) {
    System.exit(new CommandLine(new Cli()).execute(args));
  }

  @Command(
      name = "echo-server",
      mixinStandardHelpOptions = true,
      description =
          "An HTTP/1.1 and h2c (prior knowledge) upstream, on one port, that answers every"
              + " request with its body.")
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

    @Option(
        names = "--close-every",
        defaultValue = "0",
        description =
            "close each connection after this many answers (0: never): Connection: close on"
                + " HTTP/1.1, GOAWAY on h2")
    int closeEvery;

    @Override
    public Integer call() throws InterruptedException {
      EchoBody body = responseBytes < 0 ? new EchoBody.Echo() : new EchoBody.Fixed(responseBytes);
      Optional<Stall> stall = stallAfter.map(after -> new Stall(after, stallLength));
      EchoServer server =
          start(new InetSocketAddress("127.0.0.1", port), body, stall, threads, closeEvery);
      System.out.println("echo server listening on 127.0.0.1:" + server.port());
      Runtime.getRuntime().addShutdownHook(new Thread(server::close));
      new CountDownLatch(1).await();
      return 0;
    }
  }
}
