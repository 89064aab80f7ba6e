package dev.firemesh.proxy.telemetry;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * A log file rotated by size: before a line would take it past {@code maxBytes}, {@code access.log}
 * becomes {@code access.log.1}, {@code .1} becomes {@code .2} and so on, the oldest beyond {@code
 * keep} is deleted, and a new {@code access.log} begins. A line is never split across files; a
 * single line longer than {@code maxBytes} gets a file of its own. An existing file is appended to.
 */
final class RotatingFile implements LogSink {
  private static final int BUFFER_BYTES = 64 * 1024;

  private final Path path;
  private final long maxBytes;
  private final int keep;
  private OutputStream out;
  private long size;

  /**
   * @param maxBytes rotate before the file would grow past this; 0: never
   * @param keep rotated files kept; 0: the old file is deleted on rotation
   */
  RotatingFile(Path path, long maxBytes, int keep) throws IOException {
    this.path = path;
    this.maxBytes = maxBytes;
    this.keep = keep;
    Path parent = path.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    this.size = Files.exists(path) ? Files.size(path) : 0;
    this.out = open();
  }

  private OutputStream open() throws IOException {
    return new BufferedOutputStream(
        Files.newOutputStream(
            path, StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE),
        BUFFER_BYTES);
  }

  @Override
  public void write(byte[] line) throws IOException {
    if (maxBytes > 0 && size > 0 && size + line.length > maxBytes) {
      rotate();
    }
    out.write(line);
    size += line.length;
  }

  private void rotate() throws IOException {
    out.close();
    if (keep == 0) {
      Files.delete(path);
    } else {
      Files.deleteIfExists(rotated(keep));
      for (int i = keep - 1; i >= 1; i--) {
        Path older = rotated(i);
        if (Files.exists(older)) {
          Files.move(older, rotated(i + 1), StandardCopyOption.REPLACE_EXISTING);
        }
      }
      Files.move(path, rotated(1), StandardCopyOption.REPLACE_EXISTING);
    }
    size = 0;
    out = open();
  }

  private Path rotated(int generation) {
    return path.resolveSibling(path.getFileName() + "." + generation);
  }

  @Override
  public void flush() throws IOException {
    out.flush();
  }

  @Override
  public void close() throws IOException {
    out.close();
  }

  @Override
  public String toString() {
    return path.toString();
  }
}
