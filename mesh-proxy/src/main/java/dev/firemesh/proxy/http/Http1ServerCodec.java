package dev.firemesh.proxy.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.CombinedChannelDuplexHandler;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ByteProcessor;
import java.util.ArrayDeque;
import java.util.List;

/**
 * The listeners' HTTP/1.1 codec: Netty's request decoder at its strictest, plus a refusal of
 * obsolete line folding (which Netty silently unfolds), and a response encoder that knows which
 * responses answer HEAD requests. Like {@code HttpServerCodec}, but that class cannot be extended.
 */
public final class Http1ServerCodec
    extends CombinedChannelDuplexHandler<HttpRequestDecoder, HttpResponseEncoder> {

  private final ArrayDeque<HttpMethod> methods = new ArrayDeque<>();

  public Http1ServerCodec(HttpLimits limits) {
    init(new RequestDecoder(limits), new ResponseEncoder());
  }

  /** A line of the head that starts with a space or tab: obs-fold (RFC 9112 section 5.2). */
  static final class LineFoldingException extends IllegalArgumentException {
    LineFoldingException() {
      super("obsolete line folding (a header line starting with whitespace) is not accepted");
    }
  }

  private final class RequestDecoder extends HttpRequestDecoder {
    private boolean awaitingHead = true;
    private boolean headStarted;
    private boolean refused;

    RequestDecoder(HttpLimits limits) {
      super(limits.decoderConfig());
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf buffer, List<Object> out)
        throws Exception {
      if (refused) {
        buffer.skipBytes(buffer.readableBytes());
        return;
      }
      if (awaitingHead && folded(buffer, headStarted)) {
        refused = true;
        buffer.skipBytes(buffer.readableBytes());
        HttpRequest invalid =
            new DefaultFullHttpRequest(
                HttpVersion.HTTP_1_1, HttpMethod.GET, "/bad-request", Unpooled.EMPTY_BUFFER);
        invalid.setDecoderResult(DecoderResult.failure(new LineFoldingException()));
        methods.add(invalid.method());
        out.add(invalid);
        return;
      }
      int before = buffer.readerIndex();
      int produced = out.size();
      super.decode(ctx, buffer, out);
      if (awaitingHead && !headStarted && buffer.readerIndex() > before) {
        headStarted =
            buffer.forEachByte(before, buffer.readerIndex() - before, ByteProcessor.FIND_NON_CRLF)
                != -1;
      }
      for (int i = produced; i < out.size(); i++) {
        Object message = out.get(i);
        if (message instanceof HttpRequest request) {
          methods.add(request.method());
          awaitingHead = false;
          headStarted = false;
        }
        if (message instanceof LastHttpContent) {
          awaitingHead = true;
        }
      }
    }
  }

  /**
   * Whether a line of the request head in {@code buffer} starts with SP or HTAB. The decoder only
   * consumes whole lines, so the reader index is always at the start of a line; {@code started}
   * says whether the request line is already behind it (empty lines before it are allowed).
   */
  static boolean folded(ByteBuf buffer, boolean started) {
    int i = buffer.readerIndex();
    int end = buffer.writerIndex();
    while (i < end) {
      byte b = buffer.getByte(i);
      if (b == ' ' || b == '\t') {
        return true;
      }
      if (b == '\r' || b == '\n') {
        if (started) {
          return false; // the empty line: the head ends here, the body is not ours to look at
        }
        i++;
        continue;
      }
      started = true;
      int lf = buffer.indexOf(i, end, (byte) '\n');
      if (lf < 0) {
        return false;
      }
      i = lf + 1;
    }
    return false;
  }

  private final class ResponseEncoder extends HttpResponseEncoder {
    @Override
    protected boolean isContentAlwaysEmpty(HttpResponse msg) {
      if (msg.status().codeClass() == HttpStatusClass.INFORMATIONAL) {
        return super.isContentAlwaysEmpty(msg); // interim responses do not answer a request
      }
      HttpMethod method = methods.poll();
      return HttpMethod.HEAD.equals(method) || super.isContentAlwaysEmpty(msg);
    }
  }
}
