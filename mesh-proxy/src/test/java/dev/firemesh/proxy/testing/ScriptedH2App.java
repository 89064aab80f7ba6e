package dev.firemesh.proxy.testing;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http2.DefaultHttp2DataFrame;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.DefaultHttp2ResetFrame;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2Settings;
import io.netty.util.ReferenceCountUtil;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An HTTP/2 (h2c) application that misbehaves on purpose, on Netty's own server. By path:
 *
 * <ul>
 *   <li>{@code /reset-mid-response}: sends the response head and {@code partial}, then resets the
 *       stream with ENHANCE_YOUR_CALM
 *   <li>{@code /refuse-once}: resets the first request with REFUSED_STREAM (it was not processed),
 *       answers the next with 200 {@code second try}
 *   <li>{@code /hold}: answers 200 {@code released} only once {@link #releaseHeld()} is called
 *   <li>anything else: 200 {@code ok}
 * </ul>
 *
 * It may limit the streams it takes on one connection (SETTINGS_MAX_CONCURRENT_STREAMS).
 */
public final class ScriptedH2App implements AutoCloseable {
  private final EventLoopGroup group =
      new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
  private final Channel server;
  private final AtomicInteger refused = new AtomicInteger();
  private final List<ChannelHandlerContext> held = new CopyOnWriteArrayList<>();

  public ScriptedH2App() throws InterruptedException {
    this(Long.MAX_VALUE);
  }

  public ScriptedH2App(long maxConcurrentStreams) throws InterruptedException {
    Http2Settings settings = Http2Settings.defaultSettings();
    if (maxConcurrentStreams != Long.MAX_VALUE) {
      settings.maxConcurrentStreams(maxConcurrentStreams);
    }
    server =
        new ServerBootstrap()
            .group(group)
            .channel(NioServerSocketChannel.class)
            .childHandler(
                new ChannelInitializer<>() {
                  @Override
                  protected void initChannel(Channel channel) {
                    channel
                        .pipeline()
                        .addLast(
                            Http2FrameCodecBuilder.forServer().initialSettings(settings).build())
                        .addLast(
                            new Http2MultiplexHandler(
                                new ChannelInitializer<>() {
                                  @Override
                                  protected void initChannel(Channel stream) {
                                    stream.pipeline().addLast(new Script());
                                  }
                                }));
                  }
                })
            .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
            .sync()
            .channel();
  }

  public int port() {
    return ((InetSocketAddress) server.localAddress()).getPort();
  }

  /** How many {@code /hold} requests wait for {@link #releaseHeld()}. */
  public int held() {
    return held.size();
  }

  /** Answers every held request. */
  public void releaseHeld() {
    for (ChannelHandlerContext ctx : held) {
      ctx.executor().execute(() -> answer(ctx, "released"));
    }
    held.clear();
  }

  /** How many requests {@code /refuse-once} refused (and answered after). */
  public int refused() {
    return refused.get();
  }

  @Override
  public void close() {
    server.close().awaitUninterruptibly();
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly();
  }

  private final class Script extends ChannelInboundHandlerAdapter {
    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      try {
        if (!(msg instanceof Http2HeadersFrame request)) {
          return; // request bodies are not looked at
        }
        String path = request.headers().path().toString();
        switch (path) {
          case "/reset-mid-response" -> {
            ctx.write(new DefaultHttp2HeadersFrame(new DefaultHttp2Headers().status("200")));
            ctx.write(
                new DefaultHttp2DataFrame(ByteBufUtil.writeAscii(ctx.alloc(), "partial"), false));
            ctx.writeAndFlush(new DefaultHttp2ResetFrame(Http2Error.ENHANCE_YOUR_CALM));
          }
          case "/refuse-once" -> {
            if (refused.getAndIncrement() == 0) {
              ctx.writeAndFlush(new DefaultHttp2ResetFrame(Http2Error.REFUSED_STREAM));
            } else {
              answer(ctx, "second try");
            }
          }
          case "/hold" -> held.add(ctx);
          default -> answer(ctx, "ok");
        }
      } finally {
        ReferenceCountUtil.release(msg);
      }
    }
  }

  private static void answer(ChannelHandlerContext ctx, String text) {
    ctx.write(new DefaultHttp2HeadersFrame(new DefaultHttp2Headers().status("200")));
    ctx.writeAndFlush(new DefaultHttp2DataFrame(ByteBufUtil.writeAscii(ctx.alloc(), text), true));
  }
}
