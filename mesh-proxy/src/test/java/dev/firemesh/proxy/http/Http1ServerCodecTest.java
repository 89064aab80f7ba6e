package dev.firemesh.proxy.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The codec's refusal of obs-fold, fed byte by byte and in pieces, never misreading bodies. */
class Http1ServerCodecTest {

  private static List<Object> decode(List<String> pieces) {
    EmbeddedChannel channel = new EmbeddedChannel(new Http1ServerCodec(HttpLimits.DEFAULT));
    for (String piece : pieces) {
      channel.writeInbound(Unpooled.copiedBuffer(piece, StandardCharsets.ISO_8859_1));
    }
    List<Object> out = new ArrayList<>();
    Object message;
    while ((message = channel.readInbound()) != null) {
      out.add(message);
    }
    channel.finishAndReleaseAll();
    return out;
  }

  private static List<String> bytes(String text) {
    List<String> out = new ArrayList<>();
    for (char c : text.toCharArray()) {
      out.add(String.valueOf(c));
    }
    return out;
  }

  private static boolean firstFailed(List<Object> decoded) {
    boolean failed = ((HttpRequest) decoded.getFirst()).decoderResult().isFailure();
    decoded.forEach(ReferenceCountUtil::release);
    return failed;
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "GET / HTTP/1.1\r\nHost: a\r\nX: 1\r\n 2\r\n\r\n",
        "GET / HTTP/1.1\r\nHost: a\r\nX: 1\r\n\t2\r\n\r\n",
        "GET / HTTP/1.1\r\n Host: a\r\n\r\n",
        " GET / HTTP/1.1\r\nHost: a\r\n\r\n"
      })
  void aLineStartingWithWhitespaceIsRefusedHoweverTheBytesArrive(String request) {
    assertThat(firstFailed(decode(List.of(request)))).isTrue();
    assertThat(firstFailed(decode(bytes(request)))).isTrue();
  }

  @Test
  void emptyLinesBeforeTheRequestLineAreAllowed() {
    List<Object> decoded = decode(bytes("\r\n\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n"));
    assertThat(firstFailed(decoded)).isFalse();
  }

  @Test
  void bodiesAndTheNextRequestAreNotMistakenForFolding() {
    String body = "a\r\n b\r\n\tc";
    String requests =
        "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: "
            + body.length()
            + "\r\n\r\n"
            + body
            + "GET /next HTTP/1.1\r\nHost: a\r\n\r\n";
    List<Object> decoded = decode(bytes(requests));

    List<String> targets = new ArrayList<>();
    int bodyBytes = 0;
    for (Object message : decoded) {
      if (message instanceof HttpRequest request) {
        assertThat(request.decoderResult().isSuccess()).isTrue();
        targets.add(request.uri());
      }
      if (message instanceof HttpContent content) {
        bodyBytes += content.content().readableBytes();
        assertThat(content.decoderResult().isSuccess()).isTrue();
      }
      ReferenceCountUtil.release(message);
    }
    assertThat(targets).containsExactly("/", "/next");
    assertThat(bodyBytes).isEqualTo(body.length());
    assertThat(decoded.stream().filter(m -> m instanceof LastHttpContent).count()).isEqualTo(2);
  }

  @Test
  void afterARefusalTheRestOfTheConnectionIsDiscarded() {
    List<Object> decoded =
        decode(
            List.of(
                "GET / HTTP/1.1\r\nX: 1\r\n 2\r\n\r\n",
                "GET /smuggled HTTP/1.1\r\nHost: a\r\n\r\n"));
    assertThat(decoded).hasSize(1);
    assertThat(firstFailed(decoded)).isTrue();
  }

  @Test
  void theFoldScannerStopsAtTheEndOfTheHead() {
    ByteBuf head =
        Unpooled.copiedBuffer("GET / HTTP/1.1\r\nHost: a\r\n\r\n body", StandardCharsets.US_ASCII);
    assertThat(Http1ServerCodec.folded(head, false)).isFalse();
    head.release();
  }
}
