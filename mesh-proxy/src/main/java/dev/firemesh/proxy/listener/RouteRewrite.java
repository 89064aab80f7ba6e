package dev.firemesh.proxy.listener;

import dev.firemesh.proxy.http.HttpRequestView;
import dev.firemesh.traffic.config.PathRewrite;
import dev.firemesh.traffic.config.RouteAction;
import dev.firemesh.traffic.route.RouteResult;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;

/**
 * Applies a route's rewrites to the request about to be forwarded, in the caller's sidecar, after
 * routing (matching sees what the caller sent): the path (prefix or regex rewrite; the query string
 * is kept) and the Host, which the peer's inbound listener passes to its app unchanged (it routes
 * by listener, not by Host), so the app sees the rewritten Host. An HTTP/2 request's {@code
 * :authority} travels as Host here and is rewritten the same way.
 */
final class RouteRewrite {
  private RouteRewrite() {}

  /**
   * Rewrites {@code request} in place as {@code routed}'s action says, and returns a view of the
   * request as the caller sent it, for routing it again after a refused connect: {@code view}
   * itself when nothing changed, else a view of a copy taken before the change.
   */
  static HttpRequestView apply(
      RouteResult.Routed routed, HttpRequest request, HttpRequestView view) {
    RouteAction action = routed.action();
    if (!action.rewrites()) {
      return view;
    }
    HttpRequestView original =
        new HttpRequestView(
            new DefaultHttpRequest(
                request.protocolVersion(),
                request.method(),
                request.uri(),
                request.headers().copy()));
    if (!(action.pathRewrite() instanceof PathRewrite.None)) {
      request.setUri(rewriteUri(action.pathRewrite(), routed, request.uri()));
    }
    if (!action.hostRewrite().isEmpty()) {
      request.headers().set(HttpHeaderNames.HOST, action.hostRewrite());
    }
    return original;
  }

  private static String rewriteUri(PathRewrite rewrite, RouteResult.Routed routed, String uri) {
    int queryAt = uri.indexOf('?');
    String path = queryAt < 0 ? uri : uri.substring(0, queryAt);
    String query = queryAt < 0 ? "" : uri.substring(queryAt + 1);
    String rewritten = rewrite.apply(routed.route().match().path(), path);
    if (!rewritten.startsWith("/")) {
      rewritten = "/" + rewritten; // an origin-form target starts with a slash
    }
    if (query.isEmpty()) {
      return rewritten;
    }
    return rewritten + (rewritten.indexOf('?') >= 0 ? "&" : "?") + query;
  }
}
