package dev.firemesh.bench;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.http2.Http2CodecUtil;
import java.util.List;
import java.util.function.Consumer;

/**
 * Tells HTTP/2 with prior knowledge from HTTP/1.1 by a connection's first bytes, so that one port
 * serves both: a client speaking h2c opens with the fixed connection preface ({@code PRI *
 * HTTP/2.0...}), which no HTTP/1.1 request line starts like. Once it knows, it puts the protocol's
 * handlers in its place and hands them the bytes read so far.
 */
final class PriorKnowledge extends ByteToMessageDecoder {

  /** What the first bytes say. */
  enum Verdict {
    HTTP1,
    H2,
    /** Every byte so far matches the preface, which is not complete yet. */
    UNDECIDED
  }

  private static final ByteBuf PREFACE = Http2CodecUtil.connectionPrefaceBuf();

  private final Consumer<ChannelPipeline> http1;
  private final Consumer<ChannelPipeline> h2;

  /**
   * Must be the last handler of the pipeline: the protocol's handlers are added after it, by {@code
   * http1} or {@code h2}.
   */
  PriorKnowledge(Consumer<ChannelPipeline> http1, Consumer<ChannelPipeline> h2) {
    this.http1 = http1;
    this.h2 = h2;
  }

  /** Classifies the readable bytes of {@code in} (a connection's first), without reading them. */
  static Verdict classify(ByteBuf in) {
    int length = Math.min(in.readableBytes(), PREFACE.readableBytes());
    if (!ByteBufUtil.equals(PREFACE, PREFACE.readerIndex(), in, in.readerIndex(), length)) {
      return Verdict.HTTP1;
    }
    return length == PREFACE.readableBytes() ? Verdict.H2 : Verdict.UNDECIDED;
  }

  @Override
  protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
    switch (classify(in)) {
      case HTTP1 -> http1.accept(ctx.pipeline());
      case H2 -> h2.accept(ctx.pipeline());
      case UNDECIDED -> {
        return;
      }
    }
    ctx.pipeline().remove(this); // passes on what it has buffered
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    ctx.close(); // before the protocol is known there is no one to answer
  }
}
