package dev.firemesh.control.telemetry;

import java.time.Duration;

/**
 * How the control plane's telemetry runs.
 *
 * @param scrapeInterval how often the collector scrapes the sidecars, 1 to 10 s: every 10-second
 *     bucket of the graph and the rollups needs at least one scrape
 * @param traceMemoryBytes the trace store's budget, at least 1 MiB
 * @param rollupRetention how long the 10-second edge rollups stay in PostgreSQL, at least a day
 */
public record TelemetryOptions(
    Duration scrapeInterval, long traceMemoryBytes, Duration rollupRetention) {
  public static final Duration DEFAULT_SCRAPE_INTERVAL = Duration.ofSeconds(5);
  public static final long DEFAULT_TRACE_MEMORY = 64L * 1024 * 1024;
  public static final Duration DEFAULT_ROLLUP_RETENTION = Duration.ofDays(14);

  public TelemetryOptions {
    if (scrapeInterval.compareTo(Duration.ofSeconds(1)) < 0
        || scrapeInterval.compareTo(TrafficHistory.BUCKET) > 0) {
      throw new IllegalArgumentException(
          "the scrape interval must be from 1s to 10s, got " + scrapeInterval.toMillis() + " ms");
    }
    if (traceMemoryBytes < 1024 * 1024) {
      throw new IllegalArgumentException(
          "the trace memory must be at least 1MiB, got " + traceMemoryBytes + " bytes");
    }
    if (rollupRetention.compareTo(Duration.ofDays(1)) < 0) {
      throw new IllegalArgumentException(
          "the rollup retention must be at least 1d (partitions are daily), got "
              + rollupRetention);
    }
  }

  public static TelemetryOptions defaults() {
    return new TelemetryOptions(
        DEFAULT_SCRAPE_INTERVAL, DEFAULT_TRACE_MEMORY, DEFAULT_ROLLUP_RETENTION);
  }

  /**
   * A size such as {@code 64MiB}, {@code 512KiB}, {@code 1GiB} or plain bytes; {@code MB}, {@code
   * KB} and {@code GB} are read as their binary counterparts, as memory is counted.
   */
  public static long parseSize(String text) {
    String t = text.strip();
    String digits = t.replaceAll("[^0-9].*$", "");
    String unit = t.substring(digits.length()).strip().toLowerCase(java.util.Locale.ROOT);
    if (digits.isEmpty()) {
      throw new IllegalArgumentException(
          "not a size: \"" + text + "\" (expected a number with KiB, MiB or GiB, like 64MiB)");
    }
    long multiplier =
        switch (unit) {
          case "", "b" -> 1;
          case "k", "kb", "kib" -> 1024;
          case "m", "mb", "mib" -> 1024 * 1024;
          case "g", "gb", "gib" -> 1024L * 1024 * 1024;
          default ->
              throw new IllegalArgumentException(
                  "unknown size unit \"" + unit + "\" in \"" + text + "\" (use KiB, MiB or GiB)");
        };
    try {
      return Math.multiplyExact(Long.parseLong(digits), multiplier);
    } catch (ArithmeticException | NumberFormatException e) {
      throw new IllegalArgumentException("size too large: \"" + text + "\"");
    }
  }
}
