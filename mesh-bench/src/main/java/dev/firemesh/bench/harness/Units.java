package dev.firemesh.bench.harness;

import java.util.Locale;

/** How figures are written in reports: microseconds scaled to a readable unit. */
public final class Units {
  private Units() {}

  public static String micros(double micros) {
    double abs = Math.abs(micros);
    if (abs >= 1_000_000) {
      return String.format(Locale.ROOT, "%.2f s", micros / 1e6);
    }
    if (abs >= 1_000) {
      return String.format(Locale.ROOT, "%.2f ms", micros / 1e3);
    }
    return String.format(Locale.ROOT, "%.0f µs", micros);
  }

  /** For axis labels: {@code 10 µs}, {@code 1 ms}, {@code 100 ms}, {@code 1 s}. */
  static String decade(double micros) {
    if (micros >= 1_000_000) {
      return String.format(Locale.ROOT, "%.0f s", micros / 1e6);
    }
    if (micros >= 1_000) {
      return String.format(Locale.ROOT, "%.0f ms", micros / 1e3);
    }
    return String.format(Locale.ROOT, "%.0f µs", micros);
  }

  static String mebibytes(long bytes) {
    return String.format(Locale.ROOT, "%.0f MiB", bytes / 1048576.0);
  }
}
