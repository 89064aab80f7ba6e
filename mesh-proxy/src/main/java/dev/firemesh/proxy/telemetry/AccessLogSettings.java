package dev.firemesh.proxy.telemetry;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Where and how a sidecar writes its access log.
 *
 * <pre>{@code
 * AccessLogSettings.file(Path.of("/var/log/firemesh/access.log"))
 *     .withFormat(AccessLogFormat.Style.JSON)
 *     .withRotation(100 * 1024 * 1024, 5);
 * }</pre>
 *
 * @param file the file to write to; empty: standard output
 * @param style one JSON object per line, or one line for people
 * @param fields the JSON fields to write, in {@link AccessLogFormat#FIELDS}' order; all by default
 * @param maxFileBytes the file is rotated before it would grow past this (0: never)
 * @param keepFiles rotated files kept besides the current one ({@code access.log.1} the newest)
 * @param queueLines lines waiting for the writer at most; more are dropped and counted
 */
public record AccessLogSettings(
    Optional<Path> file,
    AccessLogFormat.Style style,
    List<String> fields,
    long maxFileBytes,
    int keepFiles,
    int queueLines) {

  public static final long DEFAULT_MAX_FILE_BYTES = 100L * 1024 * 1024;
  public static final int DEFAULT_KEEP_FILES = 5;
  public static final int DEFAULT_QUEUE_LINES = 16_384;

  public AccessLogSettings {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(style, "style");
    fields = List.copyOf(fields);
    for (String field : fields) {
      if (!AccessLogFormat.FIELDS.contains(field)) {
        throw new IllegalArgumentException(
            "unknown access log field \"" + field + "\"; known: " + AccessLogFormat.FIELDS);
      }
    }
    if (maxFileBytes < 0) {
      throw new IllegalArgumentException("maxFileBytes must not be negative: " + maxFileBytes);
    }
    if (keepFiles < 0) {
      throw new IllegalArgumentException("keepFiles must not be negative: " + keepFiles);
    }
    if (queueLines < 1) {
      throw new IllegalArgumentException("queueLines must be at least 1: " + queueLines);
    }
  }

  /** JSON lines to standard output, every field. */
  public static AccessLogSettings stdout() {
    return new AccessLogSettings(
        Optional.empty(),
        AccessLogFormat.Style.JSON,
        AccessLogFormat.FIELDS,
        DEFAULT_MAX_FILE_BYTES,
        DEFAULT_KEEP_FILES,
        DEFAULT_QUEUE_LINES);
  }

  /** JSON lines to {@code file}, every field, rotated at 100 MiB, 5 rotated files kept. */
  public static AccessLogSettings file(Path file) {
    return new AccessLogSettings(
        Optional.of(file),
        AccessLogFormat.Style.JSON,
        AccessLogFormat.FIELDS,
        DEFAULT_MAX_FILE_BYTES,
        DEFAULT_KEEP_FILES,
        DEFAULT_QUEUE_LINES);
  }

  public AccessLogSettings withFormat(AccessLogFormat.Style newStyle) {
    return new AccessLogSettings(file, newStyle, fields, maxFileBytes, keepFiles, queueLines);
  }

  /** Only {@code names} in JSON lines (the text style shows its own fixed set). */
  public AccessLogSettings withFields(List<String> names) {
    return new AccessLogSettings(file, style, names, maxFileBytes, keepFiles, queueLines);
  }

  public AccessLogSettings withRotation(long maxBytes, int keep) {
    return new AccessLogSettings(file, style, fields, maxBytes, keep, queueLines);
  }

  public AccessLogSettings withQueueLines(int lines) {
    return new AccessLogSettings(file, style, fields, maxFileBytes, keepFiles, lines);
  }
}
