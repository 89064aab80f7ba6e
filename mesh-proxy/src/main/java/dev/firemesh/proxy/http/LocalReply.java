package dev.firemesh.proxy.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A response the sidecar makes itself instead of forwarding a request, travelling down a listener
 * pipeline in the request's place so that it is answered in turn.
 *
 * @param status what the caller is told
 * @param message a short plain-text reason, sent as the body (for gRPC, as {@code grpc-message})
 * @param close the connection closes after this response (for HTTP/2, the stream is reset if the
 *     request has not ended)
 * @param bodyFollows body pieces of the refused request still follow in the pipeline
 * @param grpc the caller is a gRPC client: the answer is a gRPC status (see {@link GrpcStatus})
 * @param grpcStatus the gRPC status to answer a gRPC caller with; 0: the one its HTTP status maps
 *     to
 * @param headers more response headers, such as the name of a circuit-breaking limit that tripped
 */
public record LocalReply(
    HttpResponseStatus status,
    String message,
    boolean close,
    boolean bodyFollows,
    boolean grpc,
    int grpcStatus,
    Map<String, String> headers) {

  public LocalReply {
    headers = Collections.unmodifiableMap(new LinkedHashMap<>(headers));
  }

  public LocalReply(
      HttpResponseStatus status, String message, boolean close, boolean bodyFollows, boolean grpc) {
    this(status, message, close, bodyFollows, grpc, 0, Map.of());
  }

  /** For a request that could not be decoded or must not be trusted: answer, then close. */
  public static LocalReply closing(HttpResponseStatus status, String message) {
    return new LocalReply(status, message, true, false, false);
  }

  /**
   * For a well-formed request that is not forwarded. The connection stays open when the caller
   * wants it and its body can be read and dropped; a caller waiting for {@code 100 Continue} will
   * not send the body, so that connection is closed rather than left out of step. A gRPC request is
   * answered as a gRPC status, so that its client reports a status rather than an HTTP error.
   */
  public static LocalReply to(RequestHead head, HttpResponseStatus status, String message) {
    boolean close = !head.keepAlive() || (head.bodyFollows() && head.expectsContinue());
    return new LocalReply(
        status, message, close, head.bodyFollows(), GrpcStatus.isGrpc(head.request().headers()));
  }

  /** The same answer, after which the connection closes. */
  public LocalReply closing() {
    return close
        ? this
        : new LocalReply(status, message, true, bodyFollows, grpc, grpcStatus, headers);
  }

  /** The same answer with one more response header. */
  public LocalReply withHeader(String name, String value) {
    Map<String, String> more = new LinkedHashMap<>(headers);
    more.put(name, value);
    return new LocalReply(status, message, close, bodyFollows, grpc, grpcStatus, more);
  }

  /** The same answer, with {@code code} as the gRPC status a gRPC caller gets. */
  public LocalReply withGrpcStatus(int code) {
    return new LocalReply(status, message, close, bodyFollows, grpc, code, headers);
  }

  /**
   * The response, with {@code Connection: close} when {@code close}. A gRPC answer is
   * "trailers-only": HTTP 200 with {@code grpc-status} and {@code grpc-message} in the head and no
   * body, which HTTP/2 sends as one HEADERS frame ending the stream.
   */
  public FullHttpResponse toResponse(ByteBufAllocator alloc) {
    FullHttpResponse response;
    if (grpc) {
      response =
          new DefaultFullHttpResponse(
              HttpVersion.HTTP_1_1, HttpResponseStatus.OK, Unpooled.EMPTY_BUFFER);
      GrpcStatus.set(
          response.headers(), grpcStatus != 0 ? grpcStatus : GrpcStatus.fromHttp(status), message);
      response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, 0);
    } else {
      ByteBuf body = ByteBufUtil.writeUtf8(alloc, message + "\n");
      response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, body);
      response
          .headers()
          .set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8")
          .setInt(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes());
    }
    headers.forEach(response.headers()::set);
    if (close) {
      response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    }
    return response;
  }
}
