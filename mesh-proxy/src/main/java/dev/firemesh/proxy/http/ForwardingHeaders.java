package dev.firemesh.proxy.http;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;
import java.util.List;

/**
 * The headers a proxy hop adds to a request it forwards: {@code Via} (RFC 9110 section 7.6.3),
 * {@code x-forwarded-for} with the address of the connection's peer appended (so a chain of hops
 * reads left to right), and {@code x-forwarded-proto} when absent. The RFC 7239 {@code Forwarded}
 * header is passed through untouched.
 */
public final class ForwardingHeaders {

  public static final AsciiString X_FORWARDED_FOR = AsciiString.cached("x-forwarded-for");
  public static final AsciiString X_FORWARDED_PROTO = AsciiString.cached("x-forwarded-proto");

  /** The protocol names a {@code Via} member starts with (RFC 9110 section 7.6.3). */
  public static final String HTTP_1_1 = "1.1";

  public static final String HTTP_2 = "2";

  private ForwardingHeaders() {}

  /**
   * @param peerAddress the address the request came from on this hop
   * @param via this hop's {@code Via} member, such as {@code 1.1 firemesh}
   */
  public static void appendToRequest(HttpHeaders headers, String peerAddress, String via) {
    append(headers, HttpHeaderNames.VIA, via);
    append(headers, X_FORWARDED_FOR, peerAddress);
    if (!headers.contains(X_FORWARDED_PROTO)) {
      headers.set(X_FORWARDED_PROTO, "http"); // TLS from the caller arrives with the security work
    }
  }

  /** A proxy also names itself in the {@code Via} of each response it forwards. */
  public static void appendToResponse(HttpHeaders headers, String via) {
    append(headers, HttpHeaderNames.VIA, via);
  }

  /** Appends a member to a list-valued field, folding earlier field lines into one. */
  private static void append(HttpHeaders headers, CharSequence name, String member) {
    List<String> values = headers.getAll(name);
    if (values.isEmpty()) {
      headers.set(name, member);
    } else {
      headers.set(name, String.join(", ", values) + ", " + member);
    }
  }
}
