package dev.firemesh.traffic.deadline;

import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;

/**
 * How the time a caller still grants a request travels between hops: {@value #TIMEOUT_MS}, the
 * milliseconds left when the request left the previous hop (relative, so hops need no common
 * clock), and gRPC's own {@code grpc-timeout} (grpc/grpc PROTOCOL-HTTP2.md: up to eight digits and
 * a unit, {@code H M S m u n}). A caller's sidecar sets both for gRPC requests and the first for
 * all; the next sidecar reads whichever is shorter and refuses to forward a request whose time is
 * up.
 */
public final class DeadlineHeaders {
  public static final String TIMEOUT_MS = "x-firemesh-timeout-ms";
  public static final String GRPC_TIMEOUT = "grpc-timeout";

  private static final int MAX_GRPC_DIGITS = 8;
  private static final long MAX_GRPC_VALUE = 99_999_999L;
  private static final int MAX_MS_DIGITS = 15;

  private DeadlineHeaders() {}

  /** The nanoseconds a {@value #TIMEOUT_MS} value grants; empty if it is not a decimal count. */
  public static OptionalLong parseTimeoutMs(CharSequence value) {
    int length = value.length();
    if (length == 0 || length > MAX_MS_DIGITS) {
      return OptionalLong.empty();
    }
    long millis = 0;
    for (int i = 0; i < length; i++) {
      char c = value.charAt(i);
      if (c < '0' || c > '9') {
        return OptionalLong.empty();
      }
      millis = millis * 10 + (c - '0');
    }
    return OptionalLong.of(TimeUnit.MILLISECONDS.toNanos(millis));
  }

  /** {@code nanos} as a {@value #TIMEOUT_MS} value: whole milliseconds, rounded down. */
  public static String formatTimeoutMs(long nanos) {
    return Long.toString(Math.max(0, TimeUnit.NANOSECONDS.toMillis(nanos)));
  }

  /** The nanoseconds a {@code grpc-timeout} value grants; empty if malformed. */
  public static OptionalLong parseGrpcTimeout(CharSequence value) {
    int length = value.length();
    if (length < 2 || length > MAX_GRPC_DIGITS + 1) {
      return OptionalLong.empty();
    }
    long amount = 0;
    for (int i = 0; i < length - 1; i++) {
      char c = value.charAt(i);
      if (c < '0' || c > '9') {
        return OptionalLong.empty();
      }
      amount = amount * 10 + (c - '0');
    }
    TimeUnit unit =
        switch (value.charAt(length - 1)) {
          case 'H' -> TimeUnit.HOURS;
          case 'M' -> TimeUnit.MINUTES;
          case 'S' -> TimeUnit.SECONDS;
          case 'm' -> TimeUnit.MILLISECONDS;
          case 'u' -> TimeUnit.MICROSECONDS;
          case 'n' -> TimeUnit.NANOSECONDS;
          default -> null;
        };
    return unit == null ? OptionalLong.empty() : OptionalLong.of(unit.toNanos(amount));
  }

  /**
   * {@code nanos} as a {@code grpc-timeout} value: the finest unit whose count fits in eight
   * digits, rounded down, so the next hop never gets more time than there is.
   */
  public static String formatGrpcTimeout(long nanos) {
    long value = Math.max(0, nanos);
    TimeUnit[] units = {
      TimeUnit.NANOSECONDS,
      TimeUnit.MICROSECONDS,
      TimeUnit.MILLISECONDS,
      TimeUnit.SECONDS,
      TimeUnit.MINUTES,
      TimeUnit.HOURS
    };
    char[] suffixes = {'n', 'u', 'm', 'S', 'M', 'H'};
    for (int i = 0; i < units.length; i++) {
      long amount = units[i].convert(value, TimeUnit.NANOSECONDS);
      if (amount <= MAX_GRPC_VALUE) {
        return amount + String.valueOf(suffixes[i]);
      }
    }
    return MAX_GRPC_VALUE + "H";
  }
}
