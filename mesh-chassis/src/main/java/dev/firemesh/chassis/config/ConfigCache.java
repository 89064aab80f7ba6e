package dev.firemesh.chassis.config;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * The last good configuration document of one service, kept on disk so that a new instance can
 * start while the control plane is away. The file holds the document's text exactly as the control
 * plane sent it (its digest is recomputed on reading); it holds secret references, never secrets.
 * Written whole or not at all: a temporary file beside it, flushed, then moved over it.
 */
final class ConfigCache {
  private final Path file;

  ConfigCache(Path directory, String service) {
    this.file = directory.resolve(service + ".config.json");
  }

  Path file() {
    return file;
  }

  /** The cached document's text, or empty when there is none. */
  Optional<String> read() throws IOException {
    try {
      return Optional.of(Files.readString(file, StandardCharsets.UTF_8));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
  }

  void write(String document) throws IOException {
    Files.createDirectories(file.getParent());
    Path temporary = Files.createTempFile(file.getParent(), file.getFileName() + ".", ".tmp");
    try {
      try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
        ByteBuffer bytes = ByteBuffer.wrap(document.getBytes(StandardCharsets.UTF_8));
        while (bytes.hasRemaining()) {
          channel.write(bytes);
        }
        // A crash after the move must not leave an empty file under the cache's name.
        channel.force(true);
      }
      try {
        Files.move(
            temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(temporary);
    }
  }
}
