package dev.firemesh.proxy.http;

import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;

/**
 * Who is calling, as the caller's sidecar says: the {@code x-firemesh-caller} header, which every
 * sidecar sets on what it forwards to its own service's name (replacing anything the application
 * sent).
 *
 * <p><b>Not authenticated.</b> Any client that reaches an inbound listener directly can write the
 * header; it serves per-caller rate limits, which are about fairness among well-behaved callers,
 * not about security. Sidecar mTLS (issue 7) replaces it with the identity in the peer's verified
 * certificate, a channel attribute, and the header then only informs the application.
 */
public final class CallerIdentity {
  public static final AsciiString HEADER = AsciiString.cached("x-firemesh-caller");

  /** The caller of a request without a usable header. */
  public static final String UNKNOWN = "unknown";

  private CallerIdentity() {}

  /**
   * The calling service named by {@code headers}; {@link #UNKNOWN} if absent or not a service name
   * (a DNS label), so that odd values cannot make rate-limit buckets of their own.
   */
  public static String of(HttpHeaders headers) {
    String caller = headers.get(HEADER);
    return caller != null && isServiceName(caller) ? caller : UNKNOWN;
  }

  /** A DNS label, as service names are; checked by hand as it runs per request. */
  static boolean isServiceName(String name) {
    int length = name.length();
    if (length == 0 || length > 63 || name.charAt(0) == '-' || name.charAt(length - 1) == '-') {
      return false;
    }
    for (int i = 0; i < length; i++) {
      char c = name.charAt(i);
      if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) {
        return false;
      }
    }
    return true;
  }
}
