package dev.firemesh.proxy.listener;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class ProtocolSelectorTest {
  private final List<String> chosen = new ArrayList<>();
  private final EmbeddedChannel channel =
      new EmbeddedChannel(new ProtocolSelector(choose("http/1.1"), choose("h2")));

  private Consumer<ChannelPipeline> choose(String protocol) {
    return pipeline -> chosen.add(protocol);
  }

  private void send(String text) {
    channel.writeInbound(Unpooled.copiedBuffer(text, StandardCharsets.US_ASCII));
  }

  private String passedOn() {
    StringBuilder out = new StringBuilder();
    ByteBuf piece;
    while ((piece = channel.readInbound()) != null) {
      out.append(piece.toString(StandardCharsets.US_ASCII));
      piece.release();
    }
    return out.toString();
  }

  @Test
  void theFirstByteThatDiffersFromThePrefaceChoosesHttp1() {
    send("GET / HTTP/1.1\r\n");

    assertThat(chosen).containsExactly("http/1.1");
    assertThat(passedOn()).isEqualTo("GET / HTTP/1.1\r\n");
    assertThat(channel.pipeline().get(ProtocolSelector.class)).isNull();
  }

  @Test
  void theWholePrefaceIsNeededForHttp2EvenWhenItArrivesInPieces() {
    send("PRI * HTTP/2.0\r\n");
    assertThat(chosen).isEmpty();

    send("\r\nSM\r\n\r\n\u0000\u0000");

    assertThat(chosen).containsExactly("h2");
    assertThat(passedOn()).isEqualTo("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n\u0000\u0000");
  }

  @Test
  void aRequestThatOnlyStartsLikeThePrefaceIsHttp1() {
    send("PRI * HTTP/1.1\r\n");

    assertThat(chosen).containsExactly("http/1.1");
    assertThat(passedOn()).isEqualTo("PRI * HTTP/1.1\r\n");
  }
}
