package dev.firemesh.proxy.forward;

import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.util.AsciiString;

/**
 * Which requests may be sent again on a fresh connection when a reused connection closes before any
 * byte of the response arrived (the keep-alive race: the upstream closed an idle connection as the
 * request was written to it).
 *
 * <p>The sidecar cannot prove from the socket alone that the upstream never read the request: an
 * upstream that crashed after processing looks the same. {@link #IDEMPOTENT_METHODS}, the default,
 * takes that risk only where a repeat is harmless by definition (RFC 9110 section 9.2.2) or the
 * caller marked the request with an {@code Idempotency-Key}: in trading, a POST sent twice can
 * place an order twice. {@link #ANY_METHOD} accepts the small risk for every request.
 */
public enum ResendPolicy {
  ANY_METHOD,
  IDEMPOTENT_METHODS,
  NEVER;

  private static final AsciiString IDEMPOTENCY_KEY = AsciiString.cached("idempotency-key");

  boolean allows(HttpRequest request) {
    return switch (this) {
      case ANY_METHOD -> true;
      case NEVER -> false;
      case IDEMPOTENT_METHODS ->
          idempotent(request.method()) || request.headers().contains(IDEMPOTENCY_KEY);
    };
  }

  private static boolean idempotent(HttpMethod method) {
    return method.equals(HttpMethod.GET)
        || method.equals(HttpMethod.HEAD)
        || method.equals(HttpMethod.OPTIONS)
        || method.equals(HttpMethod.TRACE)
        || method.equals(HttpMethod.PUT)
        || method.equals(HttpMethod.DELETE);
  }
}
