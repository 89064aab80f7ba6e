package dev.firemesh.proxy.http;

import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;
import java.util.concurrent.ThreadLocalRandom;

/**
 * {@code x-request-id}: kept when the caller sent one, otherwise 128 random bits in hex. Not a
 * secret, so a thread-local generator (no lock, no entropy pool) is enough.
 */
public final class RequestIds {

  public static final AsciiString X_REQUEST_ID = AsciiString.cached("x-request-id");

  private static final byte[] HEX =
      "0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

  private RequestIds() {}

  public static void ensure(HttpHeaders headers) {
    if (!headers.contains(X_REQUEST_ID)) {
      headers.set(X_REQUEST_ID, generate());
    }
  }

  /** 32 lower-case hex digits. */
  public static AsciiString generate() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    byte[] digits = new byte[32];
    fill(digits, 0, random.nextLong());
    fill(digits, 16, random.nextLong());
    return new AsciiString(digits, false);
  }

  private static void fill(byte[] digits, int offset, long bits) {
    for (int i = 15; i >= 0; i--) {
      digits[offset + i] = HEX[(int) (bits & 0xf)];
      bits >>>= 4;
    }
  }
}
