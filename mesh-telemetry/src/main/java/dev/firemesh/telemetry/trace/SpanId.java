package dev.firemesh.telemetry.trace;

import java.util.concurrent.ThreadLocalRandom;

/**
 * An 8-byte span id. {@link #NONE} (all zero, which W3C trace context forbids on the wire) stands
 * for "no parent" in a root span, so a span's parent is never null.
 */
public record SpanId(long value) {
  /** The parent of a root span. */
  public static final SpanId NONE = new SpanId(0);

  /** A new random id, never {@link #NONE}. */
  public static SpanId random() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    long value;
    do {
      value = random.nextLong();
    } while (value == 0);
    return new SpanId(value);
  }

  public boolean isNone() {
    return value == 0;
  }

  /** 16 lower-case hex digits. */
  public String hex() {
    char[] out = new char[16];
    Base16.write(value, out, 0);
    return new String(out);
  }

  /** The 8 bytes, as OTLP carries them; empty for {@link #NONE}, as OTLP wants for a root. */
  public byte[] bytes() {
    if (isNone()) {
      return new byte[0];
    }
    byte[] out = new byte[8];
    for (int i = 0; i < 8; i++) {
      out[i] = (byte) (value >>> (56 - 8 * i));
    }
    return out;
  }

  @Override
  public String toString() {
    return hex();
  }
}
