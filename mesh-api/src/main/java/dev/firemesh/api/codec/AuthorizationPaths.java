package dev.firemesh.api.codec;

import java.util.Optional;

/**
 * The normal form of an authorization rule's path. The inbound side normalises every request path
 * before authorizing it (percent-escapes of unreserved characters decoded, the others in upper-case
 * hex; escaped {@code /}, {@code \} and NUL refused; {@code //} collapsed; {@code .} and {@code ..}
 * resolved), so a rule must be written in that form to ever match.
 */
final class AuthorizationPaths {
  private static final int MAX_LENGTH = 4096;

  private AuthorizationPaths() {}

  /** Empty if {@code path} (with an optional trailing {@code *}) is accepted, else why not. */
  static Optional<String> problem(String path) {
    String p = path.endsWith("*") ? path.substring(0, path.length() - 1) : path;
    if (p.isEmpty() || p.charAt(0) != '/' || path.length() > MAX_LENGTH) {
      return Optional.of("");
    }
    for (int i = 0; i < p.length(); i++) {
      char c = p.charAt(i);
      if (c <= 0x20 || c >= 0x7f || c == '?' || c == '#' || c == '*' || c == '\\') {
        return Optional.of(" (" + describe(c) + " at index " + i + ")");
      }
      if (c == '%') {
        Optional<String> escape = escapeProblem(p, i);
        if (escape.isPresent()) {
          return escape;
        }
        i += 2;
      }
    }
    if (p.contains("//")) {
      return Optional.of(" (\"//\" is collapsed to \"/\" before matching)");
    }
    for (String segment : p.split("/", -1)) {
      if (segment.equals(".") || segment.equals("..")) {
        return Optional.of(" (\"" + segment + "\" segments are resolved before matching)");
      }
    }
    return Optional.empty();
  }

  private static Optional<String> escapeProblem(String p, int at) {
    if (at + 2 >= p.length()) {
      return Optional.of(" (incomplete percent-escape at index " + at + ")");
    }
    int hi = upperHex(p.charAt(at + 1));
    int lo = upperHex(p.charAt(at + 2));
    if (hi < 0 || lo < 0) {
      return Optional.of(" (percent-escapes need two upper-case hex digits, at index " + at + ")");
    }
    char decoded = (char) (hi * 16 + lo);
    if (isUnreserved(decoded)) {
      return Optional.of(
          " (\"" + p.substring(at, at + 3) + "\" is decoded to '" + decoded + "' before matching)");
    }
    if (decoded == '/' || decoded == '\\' || decoded == 0) {
      return Optional.of(
          " (requests with \"" + p.substring(at, at + 3) + "\" are refused before matching)");
    }
    return Optional.empty();
  }

  private static int upperHex(char c) {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    return c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
  }

  /** RFC 3986 unreserved: ALPHA, DIGIT, {@code -}, {@code .}, {@code _}, {@code ~}. */
  static boolean isUnreserved(char c) {
    return (c >= 'A' && c <= 'Z')
        || (c >= 'a' && c <= 'z')
        || (c >= '0' && c <= '9')
        || c == '-'
        || c == '.'
        || c == '_'
        || c == '~';
  }

  private static String describe(char c) {
    return c == ' '
        ? "a space"
        : c < 0x20 || c >= 0x7f ? "a control or non-ASCII character" : "'" + c + "'";
  }
}
