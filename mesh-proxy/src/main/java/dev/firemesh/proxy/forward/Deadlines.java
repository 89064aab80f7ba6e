package dev.firemesh.proxy.forward;

import dev.firemesh.traffic.deadline.DeadlineHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.OptionalLong;

/** The deadline a request arrives with, from the headers the previous hop (or the app) set. */
public final class Deadlines {
  private Deadlines() {}

  /**
   * The {@link System#nanoTime()} by which the caller wants its answer: the sooner of what {@code
   * x-firemesh-timeout-ms} and {@code grpc-timeout} grant, from {@code nowNanos}; {@link
   * Long#MAX_VALUE} if neither is there (or readable: a malformed value grants nothing and takes
   * nothing away).
   */
  public static long incoming(HttpHeaders headers, long nowNanos) {
    long deadline = Long.MAX_VALUE;
    String millis = headers.get(DeadlineHeaders.TIMEOUT_MS);
    if (millis != null) {
      deadline = Math.min(deadline, after(nowNanos, DeadlineHeaders.parseTimeoutMs(millis)));
    }
    String grpc = headers.get(DeadlineHeaders.GRPC_TIMEOUT);
    if (grpc != null) {
      deadline = Math.min(deadline, after(nowNanos, DeadlineHeaders.parseGrpcTimeout(grpc)));
    }
    return deadline;
  }

  /** {@code nowNanos + nanos}, or {@link Long#MAX_VALUE} when that overflows or is absent. */
  public static long after(long nowNanos, OptionalLong nanos) {
    if (nanos.isEmpty()) {
      return Long.MAX_VALUE;
    }
    long grant = nanos.getAsLong();
    // More than a century: as good as none, and nowNanos plus it cannot overflow.
    return grant >= Long.MAX_VALUE / 4 ? Long.MAX_VALUE : nowNanos + grant;
  }
}
