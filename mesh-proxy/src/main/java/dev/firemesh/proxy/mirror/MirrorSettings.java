package dev.firemesh.proxy.mirror;

import java.time.Duration;

/**
 * Bounds on mirroring, so that copies cost the primary traffic nothing but a few retained buffers.
 *
 * @param maxBodyBytes a request with more body than this is not copied (Envoy buffers mirrored
 *     bodies too; it has no such cap)
 * @param maxInFlight copies in flight at once over the whole sidecar; more are dropped, so that a
 *     slow shadow cannot gather connections without end
 * @param timeout a copy whose response has not ended by then is abandoned and its connection closed
 */
public record MirrorSettings(int maxBodyBytes, int maxInFlight, Duration timeout) {
  public static final MirrorSettings DEFAULT =
      new MirrorSettings(64 * 1024, 256, Duration.ofSeconds(10));

  public MirrorSettings {
    if (maxBodyBytes < 0 || maxInFlight < 1 || timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException(
          "mirror bounds must be positive: " + maxBodyBytes + ", " + maxInFlight + ", " + timeout);
    }
  }
}
