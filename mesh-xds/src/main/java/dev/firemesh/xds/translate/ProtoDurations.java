package dev.firemesh.xds.translate;

import com.google.protobuf.Duration;

/** {@link java.time.Duration} to {@code google.protobuf.Duration}. */
final class ProtoDurations {
  private ProtoDurations() {}

  static Duration of(java.time.Duration duration) {
    return Duration.newBuilder()
        .setSeconds(duration.getSeconds())
        .setNanos(duration.getNano())
        .build();
  }
}
