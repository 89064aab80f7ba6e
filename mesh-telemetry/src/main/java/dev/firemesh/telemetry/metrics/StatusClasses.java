package dev.firemesh.telemetry.metrics;

/** HTTP statuses by class, as the {@code status_class} label spells them. */
public final class StatusClasses {
  public static final String NONE = "none";
  private static final String[] LABELS = {NONE, "1xx", "2xx", "3xx", "4xx", "5xx"};

  private StatusClasses() {}

  /** 0 for no status, 1 to 5 for the classes. */
  public static int index(int status) {
    return status < 100 || status > 599 ? 0 : status / 100;
  }

  public static String label(int status) {
    return LABELS[index(status)];
  }

  public static String labelOf(int index) {
    return LABELS[index];
  }

  public static int count() {
    return LABELS.length;
  }
}
