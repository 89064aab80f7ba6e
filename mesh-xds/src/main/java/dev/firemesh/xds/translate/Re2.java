package dev.firemesh.xds.translate;

/** Building RE2 patterns (the syntax of Envoy's {@code safe_regex} and of grpc-java's re2j). */
final class Re2 {
  private Re2() {}

  /**
   * Escapes every ASCII punctuation character, which RE2 then reads literally; letters, digits and
   * other characters stand for themselves. ({@code \Q...\E} would also work in RE2, but a value
   * containing {@code \E} would end it early.)
   */
  static String quote(String literal) {
    StringBuilder quoted = new StringBuilder(literal.length() + 8);
    for (int i = 0; i < literal.length(); i++) {
      char c = literal.charAt(i);
      if (c < 128 && !Character.isLetterOrDigit(c) && c > ' ' && c != 127) {
        quoted.append('\\');
      }
      quoted.append(c);
    }
    return quoted.toString();
  }
}
