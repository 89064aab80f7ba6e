package dev.firemesh.proxy.telemetry;

/**
 * A string as a JSON string literal, written without a JSON library into a builder the caller
 * reuses (access log lines on the event loop, the admin listener's config dump). Everything outside
 * printable ASCII is escaped, so the output is valid JSON whatever bytes a request carried, and one
 * line (no raw line separators, U+2028 and U+2029 included).
 */
public final class JsonString {
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private JsonString() {}

  /** Appends {@code value} quoted and escaped. */
  public static void append(String value, StringBuilder out) {
    out.append('"');
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c >= 0x20 && c < 0x7f) {
            out.append(c);
          } else {
            out.append("\\u");
            hex4(c, out);
          }
        }
      }
    }
    out.append('"');
  }

  /** The four lower-case hex digits of {@code c}. */
  static void hex4(char c, StringBuilder out) {
    out.append(HEX[(c >> 12) & 0xf])
        .append(HEX[(c >> 8) & 0xf])
        .append(HEX[(c >> 4) & 0xf])
        .append(HEX[c & 0xf]);
  }
}
