package dev.firemesh.proxy.telemetry;

/**
 * The trace id of a W3C {@code traceparent} header ({@code version-traceid-parentid-flags}, W3C
 * Trace Context level 1), for access logs until the sidecar takes part in traces itself. Only a
 * well-formed header counts: lower-case hex, a version other than {@code ff}, trace and parent ids
 * not all zeros. Anything else is no trace.
 */
public final class TraceParent {
  /** The header's name, lower case as HTTP/2 requires. */
  public static final String HEADER = "traceparent";

  private static final int VERSION_00_LENGTH = 55;

  private TraceParent() {}

  /** The 32-hex-digit trace id of {@code header}; empty if it is absent or malformed. */
  public static String traceId(CharSequence header) {
    if (header == null || header.length() < VERSION_00_LENGTH) {
      return "";
    }
    // Later versions may append fields after a '-'; version 00 is exactly 55 characters.
    boolean v00 = header.charAt(0) == '0' && header.charAt(1) == '0';
    if ((v00 && header.length() != VERSION_00_LENGTH)
        || (!v00 && header.length() > VERSION_00_LENGTH && header.charAt(55) != '-')) {
      return "";
    }
    if (!hex(header, 0, 2)
        || (header.charAt(0) == 'f' && header.charAt(1) == 'f')
        || header.charAt(2) != '-'
        || !hex(header, 3, 35)
        || header.charAt(35) != '-'
        || !hex(header, 36, 52)
        || header.charAt(52) != '-'
        || !hex(header, 53, 55)
        || zeros(header, 3, 35)
        || zeros(header, 36, 52)) {
      return "";
    }
    return header.subSequence(3, 35).toString();
  }

  private static boolean hex(CharSequence s, int from, int to) {
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
        return false;
      }
    }
    return true;
  }

  private static boolean zeros(CharSequence s, int from, int to) {
    for (int i = from; i < to; i++) {
      if (s.charAt(i) != '0') {
        return false;
      }
    }
    return true;
  }
}
