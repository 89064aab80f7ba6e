package dev.firemesh.proxy.http;

import java.util.Locale;

/**
 * The {@code host[:port]} of a Host header or an absolute-form target (RFC 9110 section 4.2.3),
 * host in lower case. User info is refused: it has no place in a request to a proxy.
 *
 * @param port the port, or -1 when absent
 */
public record Authority(String host, int port) {

  public static Authority parse(String text) {
    if (text.isEmpty()) {
      throw new IllegalArgumentException("empty authority");
    }
    if (text.indexOf('@') >= 0) {
      throw new IllegalArgumentException("user info is not allowed in an authority");
    }
    String host;
    String port = "";
    if (text.charAt(0) == '[') {
      int close = text.indexOf(']');
      if (close < 0) {
        throw new IllegalArgumentException("unterminated IPv6 literal in authority");
      }
      host = text.substring(0, close + 1);
      String rest = text.substring(close + 1);
      if (!rest.isEmpty()) {
        if (rest.charAt(0) != ':') {
          throw new IllegalArgumentException("unexpected characters after IPv6 literal");
        }
        port = rest.substring(1);
      }
      checkChars(host.substring(1, host.length() - 1), "0123456789abcdefABCDEF:.");
    } else {
      int colon = text.indexOf(':');
      if (colon >= 0 && text.indexOf(':', colon + 1) >= 0) {
        throw new IllegalArgumentException("an IPv6 address must be in brackets");
      }
      host = colon < 0 ? text : text.substring(0, colon);
      port = colon < 0 ? "" : text.substring(colon + 1);
      checkChars(host, "-._~%!$&'()*+,;=");
    }
    if (host.isEmpty()) {
      throw new IllegalArgumentException("empty host in authority");
    }
    return new Authority(host.toLowerCase(Locale.ROOT), parsePort(port));
  }

  private static void checkChars(String host, String allowedPunctuation) {
    for (int i = 0; i < host.length(); i++) {
      char c = host.charAt(i);
      boolean alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
      if (!alnum && allowedPunctuation.indexOf(c) < 0) {
        throw new IllegalArgumentException(
            "invalid character in host: 0x" + Integer.toHexString(c));
      }
    }
  }

  private static int parsePort(String port) {
    if (port.isEmpty()) {
      return -1; // "host:" is allowed and means the default port
    }
    if (port.length() > 5 || !port.chars().allMatch(c -> c >= '0' && c <= '9')) {
      throw new IllegalArgumentException("invalid port in authority");
    }
    int value = Integer.parseInt(port);
    if (value > 65535) {
      throw new IllegalArgumentException("port out of range in authority");
    }
    return value;
  }
}
