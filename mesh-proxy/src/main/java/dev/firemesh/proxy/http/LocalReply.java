package dev.firemesh.proxy.http;

import dev.firemesh.proxy.telemetry.ResponseFlag;
import dev.firemesh.proxy.telemetry.RouteLabels;
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
import java.util.Objects;

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
 * @param headers more response headers, such as the name of a circuit-breaking limit that tripped,
 *     or a redirect's {@code Location}
 * @param verbatim {@code message} is the whole body as configured (a route's direct response): no
 *     line break is added, and an empty message sends no body
 * @param flag why the sidecar answered, for telemetry
 * @param route where the request was going, for telemetry, when the reply's maker knows
 * @param head the request answered, for telemetry; {@link RequestHead#UNKNOWN} when none could be
 *     read
 */
public record LocalReply(
    HttpResponseStatus status,
    String message,
    boolean close,
    boolean bodyFollows,
    boolean grpc,
    int grpcStatus,
    Map<String, String> headers,
    boolean verbatim,
    ResponseFlag flag,
    RouteLabels route,
    RequestHead head) {

  public LocalReply {
    headers = Collections.unmodifiableMap(new LinkedHashMap<>(headers));
    Objects.requireNonNull(flag, "flag");
    Objects.requireNonNull(route, "route");
    Objects.requireNonNull(head, "head");
  }

  public LocalReply(
      HttpResponseStatus status,
      String message,
      boolean close,
      boolean bodyFollows,
      boolean grpc,
      int grpcStatus,
      Map<String, String> headers,
      boolean verbatim) {
    this(
        status,
        message,
        close,
        bodyFollows,
        grpc,
        grpcStatus,
        headers,
        verbatim,
        ResponseFlag.NONE,
        RouteLabels.NONE,
        RequestHead.UNKNOWN);
  }

  public LocalReply(
      HttpResponseStatus status,
      String message,
      boolean close,
      boolean bodyFollows,
      boolean grpc,
      int grpcStatus,
      Map<String, String> headers) {
    this(status, message, close, bodyFollows, grpc, grpcStatus, headers, false);
  }

  /**
   * A route's answer to a well-formed request, as {@link #to} but with {@code body} sent as it is
   * and {@code headers} added.
   */
  public static LocalReply answer(
      RequestHead head, HttpResponseStatus status, String body, Map<String, String> headers) {
    LocalReply reply = to(head, status, body);
    return new LocalReply(
        status,
        body,
        reply.close,
        reply.bodyFollows,
        reply.grpc,
        0,
        headers,
        true,
        ResponseFlag.NONE,
        RouteLabels.NONE,
        head);
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
            status, message, close, head.bodyFollows(), GrpcStatus.isGrpc(head.request().headers()))
        .about(head);
  }

  /** The same answer, after which the connection closes. */
  public LocalReply closing() {
    return close
        ? this
        : new LocalReply(
            status,
            message,
            true,
            bodyFollows,
            grpc,
            grpcStatus,
            headers,
            verbatim,
            flag,
            route,
            head);
  }

  /** The same answer with one more response header. */
  public LocalReply withHeader(String name, String value) {
    Map<String, String> more = new LinkedHashMap<>(headers);
    more.put(name, value);
    return new LocalReply(
        status, message, close, bodyFollows, grpc, grpcStatus, more, verbatim, flag, route, head);
  }

  /** The same answer, with {@code code} as the gRPC status a gRPC caller gets. */
  public LocalReply withGrpcStatus(int code) {
    return new LocalReply(
        status, message, close, bodyFollows, grpc, code, headers, verbatim, flag, route, head);
  }

  /** The same answer, saying why the sidecar gave it (for access logs and metrics). */
  public LocalReply flagged(ResponseFlag why) {
    return new LocalReply(
        status, message, close, bodyFollows, grpc, grpcStatus, headers, verbatim, why, route, head);
  }

  /** The same answer, saying where the request was going (for metrics' labels). */
  public LocalReply toward(RouteLabels where) {
    return new LocalReply(
        status,
        message,
        close,
        bodyFollows,
        grpc,
        grpcStatus,
        headers,
        verbatim,
        flag,
        where,
        head);
  }

  /** The same answer, to {@code request} (for access logs). */
  public LocalReply about(RequestHead request) {
    return new LocalReply(
        status,
        message,
        close,
        bodyFollows,
        grpc,
        grpcStatus,
        headers,
        verbatim,
        flag,
        route,
        request);
  }

  /** The gRPC status a gRPC caller gets from this answer; -1 for other callers. */
  public int grpcStatusSent() {
    return !grpc ? -1 : grpcStatus != 0 ? grpcStatus : GrpcStatus.fromHttp(status);
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
      GrpcStatus.set(response.headers(), grpcStatusSent(), message);
      response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, 0);
    } else {
      boolean bodiless = status.code() == 204 || status.code() == 304;
      String text = bodiless ? "" : verbatim ? message : message + "\n";
      ByteBuf body = text.isEmpty() ? Unpooled.EMPTY_BUFFER : ByteBufUtil.writeUtf8(alloc, text);
      response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, body);
      if (!text.isEmpty()) {
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
      }
      if (!bodiless) {
        response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes());
      }
    }
    headers.forEach(response.headers()::set);
    if (close) {
      response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    }
    return response;
  }
}
