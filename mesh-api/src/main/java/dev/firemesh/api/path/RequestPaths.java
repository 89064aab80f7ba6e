package dev.firemesh.api.path;

/**
 * The normal form of a request path, as authorization matches it and the application then receives
 * it, so that the application never sees a path other than the one authorized:
 *
 * <ol>
 *   <li>percent-escapes of unreserved characters (RFC 3986: letters, digits, {@code -._~}) are
 *       decoded, other escapes are kept with upper-case hex digits ({@code %3a} becomes {@code
 *       %3A}); {@code %25} stays, so a double-encoded path stays encoded once;
 *   <li>an escape that is not two hex digits, or that encodes {@code /}, {@code \} or NUL, and a
 *       raw {@code \}, control or non-ASCII character refuse the request;
 *   <li>empty segments ({@code //}) are collapsed, {@code .} and {@code ..} segments resolved (RFC
 *       3986 section 5.2.4; never above the root); a trailing {@code /} is kept.
 * </ol>
 *
 * Case is kept: paths are case-sensitive (DENY rules compare ignoring case to compensate). A path
 * already in normal form is returned as the same instance, after one scan.
 */
public final class RequestPaths {
  private RequestPaths() {}

  /**
   * The normal form of {@code path} (without the query string).
   *
   * @throws RefusedPathException when the path has no safe normal form
   */
  public static String normalize(String path) throws RefusedPathException {
    if (path.equals("*")) {
      return path; // OPTIONS *
    }
    if (path.isEmpty() || path.charAt(0) != '/') {
      throw new RefusedPathException("the path must start with '/'");
    }
    if (isNormal(path)) {
      return path;
    }
    return resolveDots(decode(path));
  }

  /** One scan: no escape, no separator tricks, nothing to resolve. */
  private static boolean isNormal(String path) {
    char previous = 0;
    for (int i = 0; i < path.length(); i++) {
      char c = path.charAt(i);
      if (c == '%' || c == '\\' || c <= 0x20 || c >= 0x7f) {
        return false;
      }
      if (c == '/' && previous == '/') {
        return false;
      }
      if (c == '.' && previous == '/') {
        return false; // maybe a dot segment; the slow path decides
      }
      previous = c;
    }
    return true;
  }

  private static String decode(String path) throws RefusedPathException {
    StringBuilder out = new StringBuilder(path.length());
    for (int i = 0; i < path.length(); i++) {
      char c = path.charAt(i);
      if (c == '\\') {
        throw new RefusedPathException("a '\\' in the path");
      }
      if (c <= 0x20 || c >= 0x7f) {
        throw new RefusedPathException("a control or non-ASCII character in the path");
      }
      if (c != '%') {
        out.append(c);
        continue;
      }
      int hi = i + 2 < path.length() ? hex(path.charAt(i + 1)) : -1;
      int lo = hi >= 0 ? hex(path.charAt(i + 2)) : -1;
      if (lo < 0) {
        throw new RefusedPathException("an invalid percent-escape at index " + i);
      }
      char decoded = (char) (hi * 16 + lo);
      if (decoded == '/' || decoded == '\\' || decoded == 0) {
        throw new RefusedPathException(
            "an encoded '" + (decoded == 0 ? "NUL" : decoded) + "' in the path");
      }
      if (isUnreserved(decoded)) {
        out.append(decoded);
      } else {
        out.append('%').append(HEX[hi]).append(HEX[lo]);
      }
      i += 2;
    }
    return out.toString();
  }

  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  /** Collapses empty segments and resolves dot segments of a decoded path. */
  private static String resolveDots(String path) {
    String[] segments = path.split("/", -1);
    String[] kept = new String[segments.length];
    int size = 0;
    boolean trailingSlash = false;
    for (int i = 1; i < segments.length; i++) {
      String segment = segments[i];
      boolean last = i == segments.length - 1;
      if (segment.isEmpty()) {
        trailingSlash = last;
      } else if (segment.equals(".")) {
        trailingSlash = last;
      } else if (segment.equals("..")) {
        if (size > 0) {
          size--;
        }
        trailingSlash = last;
      } else {
        kept[size++] = segment;
        trailingSlash = false;
      }
    }
    if (size == 0) {
      return "/";
    }
    StringBuilder out = new StringBuilder(path.length());
    for (int i = 0; i < size; i++) {
      out.append('/').append(kept[i]);
    }
    if (trailingSlash) {
      out.append('/');
    }
    return out.toString();
  }

  private static int hex(char c) {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    if (c >= 'A' && c <= 'F') {
      return c - 'A' + 10;
    }
    return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
  }

  /** RFC 3986 unreserved characters. */
  static boolean isUnreserved(char c) {
    return (c >= 'A' && c <= 'Z')
        || (c >= 'a' && c <= 'z')
        || (c >= '0' && c <= '9')
        || c == '-'
        || c == '.'
        || c == '_'
        || c == '~';
  }
}
