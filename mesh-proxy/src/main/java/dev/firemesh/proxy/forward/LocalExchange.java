package dev.firemesh.proxy.forward;

import dev.firemesh.proxy.http.LocalReply;
import dev.firemesh.proxy.telemetry.ResponseFlag;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.LastHttpContent;

/**
 * A request answered by the sidecar itself. On HTTP/1.1 a refused request's body is read and
 * dropped before the answer, so the connection stays in step and can be kept; past {@code
 * ForwardSettings#resendBufferBytes()} of dropped body the answer goes at once and the connection
 * closes instead. On HTTP/2 the answer goes at once (a streaming client, such as a gRPC one, may
 * wait for it before it ends its request), and a request body still to come is refused with {@code
 * RST_STREAM(NO_ERROR)} after the answer.
 */
final class LocalExchange implements ActiveExchange {

  private final ExchangeHandler handler;
  private final LocalReply reply;
  private final ExchangeNotes notes;
  private boolean requestComplete;
  private boolean answered;
  private boolean finished;
  private long dropped;

  LocalExchange(ExchangeHandler handler, LocalReply reply, ExchangeNotes notes) {
    this.handler = handler;
    this.reply = reply;
    this.notes = notes;
  }

  @Override
  public ExchangeNotes notes() {
    return notes;
  }

  @Override
  public void start() {
    if (handler.stream()) {
      answer(reply.close() || reply.bodyFollows());
    } else if (reply.close()) {
      answer(true);
    } else if (!reply.bodyFollows()) {
      answer(false); // the decoder's empty last piece follows at once and ends the exchange
    }
  }

  @Override
  public boolean requestComplete() {
    return requestComplete;
  }

  @Override
  public void onRequestContent(HttpContent content) {
    boolean last = content instanceof LastHttpContent;
    boolean malformed = content.decoderResult().isFailure();
    int bytes = content.content().readableBytes();
    dropped += bytes;
    notes.requestBody(bytes);
    content.release();
    if (finished) {
      return;
    }
    if (malformed) {
      answer(true);
    } else if (last) {
      requestComplete = true;
      if (!answered) {
        answer(false);
      }
      finish(reply.close());
    } else if (dropped > handler.settings().resendBufferBytes() && !answered) {
      answer(true);
    }
  }

  private void answer(boolean close) {
    answered = true;
    LocalReply sent = close ? reply.closing() : reply;
    ChannelHandlerContext ctx = handler.ctx();
    handler.stats().response(handler.settings().listener(), reply.status().code());
    FullHttpResponse response = sent.toResponse(ctx.alloc());
    notes.answered(sent, response);
    handler.writeResponseEnd(response);
    ctx.flush();
    if (close) {
      finish(true);
    }
  }

  private void finish(boolean close) {
    if (!finished) {
      finished = true;
      handler.exchangeDone(this, close);
    }
  }

  @Override
  public void onDownstreamReadComplete() {}

  @Override
  public void onDownstreamWritabilityChanged(boolean writable) {}

  @Override
  public void onDownstreamClosed() {
    if (!answered) {
      handler.stats().aborted(handler.settings().listener());
      notes.flag(ResponseFlag.DOWNSTREAM_CLOSED);
    }
    finished = true;
  }
}
