package dev.firemesh.telemetry.trace;

import java.util.concurrent.ThreadLocalRandom;

/**
 * A 16-byte trace id as two big-endian halves: {@code high} is the first 8 bytes (the first 16 hex
 * digits), {@code low} the last 8. Never all zero: W3C trace context makes that the invalid id.
 */
public record TraceId(long high, long low) {
  public TraceId {
    if (high == 0 && low == 0) {
      throw new IllegalArgumentException("a trace id must not be all zero");
    }
  }

  /**
   * A new random id. The low half is never zero, so the part {@link Sampler}'s ratio looks at is as
   * random as the rest; {@link ThreadLocalRandom} because this runs on event loops, per request.
   */
  public static TraceId random() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    long low;
    do {
      low = random.nextLong();
    } while (low == 0);
    return new TraceId(random.nextLong(), low);
  }

  /** 32 lower-case hex digits. */
  public String hex() {
    char[] out = new char[32];
    Base16.write(high, out, 0);
    Base16.write(low, out, 16);
    return new String(out);
  }

  /** The 16 bytes, as OTLP carries them. */
  public byte[] bytes() {
    byte[] out = new byte[16];
    for (int i = 0; i < 8; i++) {
      out[i] = (byte) (high >>> (56 - 8 * i));
      out[8 + i] = (byte) (low >>> (56 - 8 * i));
    }
    return out;
  }

  @Override
  public String toString() {
    return hex();
  }
}
