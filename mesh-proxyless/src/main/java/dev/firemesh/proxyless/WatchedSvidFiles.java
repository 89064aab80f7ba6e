package dev.firemesh.proxyless;

import dev.firemesh.identity.SvidFiles;
import dev.firemesh.identity.WorkloadCredentials;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The credentials in three PEM files, read again when one of them changes (looked at no more often
 * than the refresh interval). A renewal caught half-written, or a file gone for a moment, keeps the
 * credentials read last: the next handshake still works, and the next look tries again.
 */
final class WatchedSvidFiles implements Supplier<WorkloadCredentials> {
  private static final Logger log = LoggerFactory.getLogger(WatchedSvidFiles.class);

  private final Path chain;
  private final Path key;
  private final Path bundle;
  private final long refreshNanos;
  private WorkloadCredentials current;
  private List<FileTime> readAt = List.of();
  private long lookedAt;

  WatchedSvidFiles(Path chain, Path key, Path bundle, Duration refresh) {
    this.chain = chain;
    this.key = key;
    this.bundle = bundle;
    this.refreshNanos = refresh.toNanos();
  }

  /**
   * @throws UncheckedIOException or IllegalArgumentException on the first read only, naming the
   *     file
   */
  @Override
  public synchronized WorkloadCredentials get() {
    long now = System.nanoTime();
    if (current != null && now - lookedAt < refreshNanos) {
      return current;
    }
    lookedAt = now;
    try {
      List<FileTime> times =
          List.of(
              Files.getLastModifiedTime(chain),
              Files.getLastModifiedTime(key),
              Files.getLastModifiedTime(bundle));
      if (current == null || !times.equals(readAt)) {
        current = SvidFiles.read(chain, key, bundle);
        readAt = times;
      }
    } catch (IOException | IllegalArgumentException e) {
      if (current == null) {
        throw e instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) e;
      }
      log.warn("keeping the SVID read last; cannot read the new one: {}", e.toString());
    }
    return current;
  }
}
