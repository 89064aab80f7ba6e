package dev.firemesh.proxy.http;

import java.util.Locale;

/**
 * A request target in absolute form ({@code http://orders/path?q}), as an application sends it to
 * its HTTP proxy (RFC 9112 section 3.2.2).
 *
 * @param scheme lower case
 * @param authority as written, possibly with a port
 * @param originForm the path and query to send to the next hop; {@code /} when the path is empty
 */
public record AbsoluteForm(String scheme, String authority, String originForm) {

  /** Whether {@code target} starts with {@code scheme://}. */
  public static boolean matches(String target) {
    int sep = target.indexOf("://");
    if (sep <= 0) {
      return false;
    }
    for (int i = 0; i < sep; i++) {
      char c = target.charAt(i);
      boolean schemeChar =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (i > 0 && ((c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.'));
      if (!schemeChar) {
        return false;
      }
    }
    return true;
  }

  public static AbsoluteForm parse(String target) {
    if (!matches(target)) {
      throw new IllegalArgumentException("not an absolute-form request target");
    }
    int sep = target.indexOf("://");
    String scheme = target.substring(0, sep).toLowerCase(Locale.ROOT);
    String rest = target.substring(sep + 3);
    int end = rest.length();
    for (int i = 0; i < rest.length(); i++) {
      char c = rest.charAt(i);
      if (c == '/' || c == '?' || c == '#') {
        end = i;
        break;
      }
    }
    String authority = rest.substring(0, end);
    String origin = rest.substring(end);
    int fragment = origin.indexOf('#');
    if (fragment >= 0) {
      origin = origin.substring(0, fragment); // fragments are never sent (RFC 9110 section 4.2.5)
    }
    if (origin.isEmpty() || origin.charAt(0) != '/') {
      origin = "/" + origin;
    }
    return new AbsoluteForm(scheme, authority, origin);
  }
}
