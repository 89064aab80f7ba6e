package dev.firemesh.proxy.upstream;

import io.netty.handler.codec.http2.Http2Error;
import java.io.IOException;

/**
 * An HTTP/2 upstream ended one stream: it sent {@code RST_STREAM}, or it is going away and never
 * took the stream up (a {@code GOAWAY} naming a lower last stream).
 */
public final class StreamResetException extends IOException {

  private final long errorCode;
  private final boolean unprocessed;

  StreamResetException(long errorCode, boolean unprocessed, String message) {
    super(message);
    this.errorCode = errorCode;
    this.unprocessed = unprocessed;
  }

  static StreamResetException reset(long errorCode) {
    return new StreamResetException(
        errorCode,
        errorCode == Http2Error.REFUSED_STREAM.code(),
        "stream reset by upstream: " + name(errorCode));
  }

  static StreamResetException goingAway(long errorCode) {
    return new StreamResetException(
        errorCode, true, "upstream going away (" + name(errorCode) + ") before taking the stream");
  }

  /** The HTTP/2 error code (RFC 9113 section 7). */
  public long errorCode() {
    return errorCode;
  }

  /**
   * Whether the upstream guarantees it never processed the request (RFC 9113 section 8.7: {@code
   * REFUSED_STREAM}, or a stream above a {@code GOAWAY}'s last stream), so sending it again is safe
   * whatever its method.
   */
  public boolean unprocessed() {
    return unprocessed;
  }

  private static String name(long code) {
    Http2Error error = Http2Error.valueOf(code);
    return error == null ? "error 0x" + Long.toHexString(code) : error.name();
  }
}
