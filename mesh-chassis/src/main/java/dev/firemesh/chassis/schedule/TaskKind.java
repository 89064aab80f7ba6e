package dev.firemesh.chassis.schedule;

import java.util.Locale;

/** How a task's firings are spaced. */
public enum TaskKind {
  /** At the times of a cron expression in a zone, possibly on business days only. */
  CRON,
  /** Every period, counted from the first firing, however long the runs take. */
  FIXED_RATE,
  /** A delay after each run finishes. */
  FIXED_DELAY,
  /** Once, at an instant. */
  ONCE;

  /** As stored and shown: {@code cron}, {@code fixed-rate}, {@code fixed-delay}, {@code once}. */
  public String label() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  static TaskKind ofLabel(String label) {
    return valueOf(label.toUpperCase(Locale.ROOT).replace('-', '_'));
  }
}
