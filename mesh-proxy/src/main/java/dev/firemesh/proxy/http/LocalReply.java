package dev.firemesh.proxy.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;

/**
 * A response the sidecar makes itself instead of forwarding a request, travelling down a listener
 * pipeline in the request's place so that it is answered in turn.
 *
 * @param status what the caller is told
 * @param message a short plain-text reason, sent as the body
 * @param close the connection closes after this response
 * @param bodyFollows body pieces of the refused request still follow in the pipeline
 */
public record LocalReply(
    HttpResponseStatus status, String message, boolean close, boolean bodyFollows) {

  /** For a request that could not be decoded or must not be trusted: answer, then close. */
  public static LocalReply closing(HttpResponseStatus status, String message) {
    return new LocalReply(status, message, true, false);
  }

  /**
   * For a well-formed request that is not forwarded. The connection stays open when the caller
   * wants it and its body can be read and dropped; a caller waiting for {@code 100 Continue} will
   * not send the body, so that connection is closed rather than left out of step.
   */
  public static LocalReply to(RequestHead head, HttpResponseStatus status, String message) {
    boolean close = !head.keepAlive() || (head.bodyFollows() && head.expectsContinue());
    return new LocalReply(status, message, close, head.bodyFollows());
  }

  /** The response, with {@code Connection: close} when {@code close}. */
  public FullHttpResponse toResponse(ByteBufAllocator alloc) {
    ByteBuf body = ByteBufUtil.writeUtf8(alloc, message + "\n");
    FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, body);
    response
        .headers()
        .set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8")
        .setInt(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes());
    if (close) {
      response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    }
    return response;
  }
}
