package dev.firemesh.telemetry.trace;

/**
 * Lower-case hexadecimal, as W3C trace context writes ids. Upper case is not accepted: the spec
 * says {@code HEXDIGLC}, and a header with upper-case digits must be ignored, not repaired.
 */
final class Base16 {
  private static final char[] DIGITS = "0123456789abcdef".toCharArray();

  private Base16() {}

  /** Whether {@code s[from, from + length)} is within {@code s} and all lower-case hex digits. */
  static boolean isLowerHex(CharSequence s, int from, int length) {
    if (from < 0 || from + length > s.length()) {
      return false;
    }
    for (int i = from; i < from + length; i++) {
      if (value(s.charAt(i)) < 0) {
        return false;
      }
    }
    return true;
  }

  /** The number written by {@code length} (at most 16) hex digits; check them first. */
  static long parse(CharSequence s, int from, int length) {
    long v = 0;
    for (int i = from; i < from + length; i++) {
      v = (v << 4) | value(s.charAt(i));
    }
    return v;
  }

  /** Writes {@code value} as 16 digits into {@code out} from {@code at}. */
  static void write(long value, char[] out, int at) {
    for (int i = 15; i >= 0; i--) {
      out[at + i] = DIGITS[(int) (value & 0xf)];
      value >>>= 4;
    }
  }

  /** Writes the low byte of {@code value} as 2 digits into {@code out} from {@code at}. */
  static void writeByte(int value, char[] out, int at) {
    out[at] = DIGITS[(value >>> 4) & 0xf];
    out[at + 1] = DIGITS[value & 0xf];
  }

  private static int value(char c) {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
      return c - 'a' + 10;
    }
    return -1;
  }
}
