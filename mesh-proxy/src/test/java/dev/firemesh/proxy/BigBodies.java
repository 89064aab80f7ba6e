package dev.firemesh.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.firemesh.proxy.testing.SidecarPair;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.locks.LockSupport;
import java.util.zip.CRC32;

/** Sizes and checks for the streaming tests. */
final class BigBodies {
  /** What back-pressure must keep a proxied channel's unsent bytes under. */
  static final long MAX_PENDING_BYTES = 1024 * 1024;

  /** Bytes of direct memory the pooled allocator may hold after a transfer (a few chunks). */
  static final long MAX_DIRECT_BYTES = 64L * 1024 * 1024;

  private BigBodies() {}

  /**
   * 256 MiB by default, a few hundred MB to keep the build fast; {@code -Dfiremesh.bigBodyMiB=1024}
   * runs the 1 GiB case.
   */
  static long bytes() {
    return Long.getLong("firemesh.bigBodyMiB", 256) * 1024 * 1024;
  }

  record Received(long bytes, long crc) {}

  /** Reads to the end, pausing {@code pauseMicros} after every 64 KiB: a slow reader if asked. */
  static Received read(InputStream in, long pauseMicros) throws IOException {
    CRC32 crc = new CRC32();
    byte[] buffer = new byte[16 * 1024];
    long total = 0;
    long sincePause = 0;
    int n;
    while ((n = in.read(buffer)) > 0) {
      crc.update(buffer, 0, n);
      total += n;
      sincePause += n;
      if (pauseMicros > 0 && sincePause >= 64 * 1024) {
        sincePause = 0;
        LockSupport.parkNanos(pauseMicros * 1_000);
      }
    }
    return new Received(total, crc.getValue());
  }

  static void assertProxyBuffersStayedSmall(SidecarPair mesh) {
    for (Sidecar sidecar : new Sidecar[] {mesh.caller, mesh.callee}) {
      assertThat(sidecar.stats().pendingWriteBytesMax()).isLessThan(MAX_PENDING_BYTES);
      assertThat(sidecar.statsWithGauges().get("allocator.direct.used_bytes"))
          .isLessThan(MAX_DIRECT_BYTES);
    }
  }
}
