package dev.firemesh.cli;

import dev.firemesh.proxy.telemetry.AccessLogFormat;
import dev.firemesh.proxy.telemetry.AccessLogSettings;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Option;

/**
 * The sidecar's access log options ({@code firemesh proxy}, {@code firemesh run}): off unless
 * {@code --access-log} is given. Checked when read, so a bad value is a {@link BadInputException}
 * naming the option.
 */
final class AccessLogOptions {
  private static final Pattern SIZE =
      Pattern.compile("([0-9]+)\\s*(|b|k|kb|kib|m|mb|mib|g|gb|gib)", Pattern.CASE_INSENSITIVE);

  @Option(
      names = "--access-log",
      paramLabel = "stdout|FILE",
      description =
          "Write one line per request (JSON by default) to standard output or to FILE, rotated by"
              + " size. Off by default. Lines are written by a thread of their own; when it falls"
              + " behind, lines are dropped and counted (firemesh_proxy_access_log_dropped_total),"
              + " never waited for.")
  String accessLog;

  @Option(
      names = "--access-log-format",
      defaultValue = "json",
      paramLabel = "json|text",
      description =
          "json: one object per line (time, trace_id, request_id, caller, method, path, status,"
              + " upstream, bytes, phase durations, ...); text: one readable line"
              + " (default: ${DEFAULT-VALUE}).")
  String format;

  @Option(
      names = "--access-log-fields",
      paramLabel = "FIELD,...",
      split = ",",
      description =
          "Only these JSON fields, in the log's order (default: all). See docs/observability/access-logs.md.")
  List<String> fields;

  @Option(
      names = "--access-log-max-size",
      defaultValue = "100MiB",
      paramLabel = "SIZE",
      description =
          "Rotate FILE before it grows past SIZE (bytes, or with KiB, MiB, GiB; 0: never)"
              + " (default: ${DEFAULT-VALUE}).")
  String maxSize;

  @Option(
      names = "--access-log-keep",
      defaultValue = "5",
      paramLabel = "N",
      description =
          "Rotated files kept besides FILE: FILE.1 (newest) to FILE.N (default: ${DEFAULT-VALUE}).")
  int keep;

  /** The access log these options ask for; empty without {@code --access-log}. */
  Optional<AccessLogSettings> settings() {
    if (accessLog == null) {
      if (fields != null) {
        throw new BadInputException("--access-log-fields: needs --access-log");
      }
      return Optional.empty();
    }
    if (accessLog.isBlank()) {
      throw new BadInputException("--access-log: expected stdout or a file name");
    }
    AccessLogSettings settings =
        accessLog.equals("stdout")
            ? AccessLogSettings.stdout()
            : AccessLogSettings.file(Path.of(accessLog));
    AccessLogFormat.Style style =
        switch (format.toLowerCase(Locale.ROOT)) {
          case "json" -> AccessLogFormat.Style.JSON;
          case "text" -> AccessLogFormat.Style.TEXT;
          default ->
              throw new BadInputException(
                  "--access-log-format: expected json or text, got \"" + format + "\"");
        };
    if (keep < 0) {
      throw new BadInputException("--access-log-keep: expected 0 or more, got " + keep);
    }
    settings = settings.withFormat(style).withRotation(bytes(maxSize), keep);
    if (fields != null) {
      List<String> chosen = fields.stream().map(String::strip).toList();
      for (String field : chosen) {
        if (!AccessLogFormat.FIELDS.contains(field)) {
          throw new BadInputException(
              "--access-log-fields: unknown field \""
                  + field
                  + "\"; known: "
                  + String.join(",", AccessLogFormat.FIELDS));
        }
      }
      settings = settings.withFields(chosen);
    }
    return Optional.of(settings);
  }

  /** {@code 100MiB}, {@code 10m}, {@code 5000}: binary multiples, as log sizes usually are. */
  static long bytes(String text) {
    Matcher m = SIZE.matcher(text.strip());
    if (!m.matches()) {
      throw new BadInputException(
          "--access-log-max-size: expected a size such as 100MiB or 5000000, got \"" + text + "\"");
    }
    long number = Long.parseLong(m.group(1));
    String unit = m.group(2).toLowerCase(Locale.ROOT);
    int shift =
        Arrays.asList("", "b").contains(unit)
            ? 0
            : unit.startsWith("k") ? 10 : unit.startsWith("m") ? 20 : 30;
    if (number > (Long.MAX_VALUE >> shift)) {
      throw new BadInputException("--access-log-max-size: too large: " + text);
    }
    return number << shift;
  }
}
