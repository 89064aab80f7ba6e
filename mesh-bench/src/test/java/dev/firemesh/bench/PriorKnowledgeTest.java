package dev.firemesh.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http2.Http2CodecUtil;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class PriorKnowledgeTest {

  private static final byte[] PREFACE =
      "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

  static LongStream seeds() {
    return LongStream.range(0, 150);
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void anH2ConnectionIsToldByItsPrefaceHoweverTheBytesArrive(long seed) {
    Random random = new Random(seed);
    byte[] frames = new byte[random.nextInt(200)];
    random.nextBytes(frames);
    byte[] sent = concat(PREFACE, frames);

    Outcome outcome = feed(sent, random);

    assertThat(outcome.protocol).isEqualTo("h2");
    assertThat(outcome.received.toByteArray()).isEqualTo(sent); // nothing lost or reordered
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void anythingThatDepartsFromThePrefaceIsHttp1AndPassedOnWhole(long seed) {
    Random random = new Random(seed);
    byte[] sent;
    if (random.nextBoolean()) {
      String method = new String[] {"POST", "GET", "PUT", "PRI", "OPTIONS"}[random.nextInt(5)];
      sent =
          (method + " /p" + random.nextInt(1000) + " HTTP/1.1\r\nhost: echo\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII);
    } else {
      // the preface up to some byte, then a different byte: still not HTTP/2
      int at = random.nextInt(PREFACE.length);
      sent = concat(PREFACE, new byte[random.nextInt(20)]);
      sent[at] = (byte) (PREFACE[at] ^ (1 + random.nextInt(255)));
    }

    Outcome outcome = feed(sent, random);

    assertThat(outcome.protocol).isEqualTo("http1");
    assertThat(outcome.received.toByteArray()).isEqualTo(sent);
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 5, 23})
  void aProperPrefixOfThePrefaceIsUndecided(int length) {
    ByteBuf in = Unpooled.wrappedBuffer(PREFACE, 0, length);
    try {
      assertThat(PriorKnowledge.classify(in)).isEqualTo(PriorKnowledge.Verdict.UNDECIDED);
      assertThat(Http2CodecUtil.connectionPrefaceBuf().readableBytes()).isEqualTo(PREFACE.length);
    } finally {
      in.release();
    }
  }

  private static final class Outcome {
    String protocol = "undecided";
    final ByteArrayOutputStream received = new ByteArrayOutputStream();
  }

  /** Writes {@code bytes} in random chunks into a channel whose protocol handlers record them. */
  private static Outcome feed(byte[] bytes, Random random) {
    Outcome outcome = new Outcome();
    EmbeddedChannel channel =
        new EmbeddedChannel(
            new PriorKnowledge(
                p -> {
                  outcome.protocol = "http1";
                  p.addLast(new Recorder(outcome));
                },
                p -> {
                  outcome.protocol = "h2";
                  p.addLast(new Recorder(outcome));
                }));
    int offset = 0;
    while (offset < bytes.length) {
      int chunk = 1 + random.nextInt(Math.min(30, bytes.length - offset));
      channel.writeInbound(Unpooled.copiedBuffer(bytes, offset, chunk));
      offset += chunk;
    }
    channel.finishAndReleaseAll();
    return outcome;
  }

  private static final class Recorder extends ChannelInboundHandlerAdapter {
    private final Outcome outcome;

    Recorder(Outcome outcome) {
      this.outcome = outcome;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      ByteBuf buf = (ByteBuf) msg;
      try {
        byte[] copy = new byte[buf.readableBytes()];
        buf.readBytes(copy);
        outcome.received.writeBytes(copy);
      } finally {
        buf.release();
      }
    }
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = new byte[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
