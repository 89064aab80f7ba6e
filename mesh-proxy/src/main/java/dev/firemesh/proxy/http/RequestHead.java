package dev.firemesh.proxy.http;

import dev.firemesh.telemetry.trace.TraceHop;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import java.util.Optional;

/**
 * A request head that passed validation, on its way down a listener pipeline. It keeps what the
 * caller said about the connection before the hop-by-hop headers saying it are removed.
 *
 * @param request the head; handlers further down rewrite its headers in place
 * @param version the version the caller spoke (the head is rewritten to HTTP/1.1 for the next hop)
 * @param keepAlive the caller wants the connection kept open after the response
 * @param bodyFollows body pieces follow (a Content-Length above zero, or chunked)
 * @param expectsContinue the caller waits for {@code 100 Continue} before sending the body
 * @param trace this hop in the request's trace, once the listener has started it (empty while it
 *     has not, and when the sidecar does not trace)
 */
public record RequestHead(
    HttpRequest request,
    HttpVersion version,
    boolean keepAlive,
    boolean bodyFollows,
    boolean expectsContinue,
    Optional<TraceHop> trace) {

  /**
   * No request to speak of, for a reply made before one could be read: method and target {@code -},
   * no headers. Shared: never rewritten.
   */
  public static final RequestHead UNKNOWN =
      new RequestHead(
          new DefaultHttpRequest(
              HttpVersion.HTTP_1_1, new HttpMethod("-"), "-", EmptyHttpHeaders.INSTANCE),
          HttpVersion.HTTP_1_1,
          false,
          false,
          false,
          Optional.empty());

  /**
   * A head that failed validation, for telemetry only: what the caller sent, nothing inferred from
   * its headers (they may be what made it fail).
   */
  public static RequestHead refused(HttpRequest request) {
    return new RequestHead(
        request, request.protocolVersion(), false, false, false, Optional.empty());
  }

  public static RequestHead of(HttpRequest request) {
    boolean body =
        HttpUtil.isTransferEncodingChunked(request) || HttpUtil.getContentLength(request, 0L) > 0;
    return new RequestHead(
        request,
        request.protocolVersion(),
        HttpUtil.isKeepAlive(request),
        body,
        HttpUtil.is100ContinueExpected(request),
        Optional.empty());
  }

  /** The same head, as one hop of {@code hop}'s trace. */
  public RequestHead traced(TraceHop hop) {
    return new RequestHead(
        request, version, keepAlive, bodyFollows, expectsContinue, Optional.of(hop));
  }
}
