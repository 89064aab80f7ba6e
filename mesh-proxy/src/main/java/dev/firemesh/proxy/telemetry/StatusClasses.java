package dev.firemesh.proxy.telemetry;

/** HTTP statuses by class, as the {@code status_class} label spells them. */
final class StatusClasses {
  static final String NONE = "none";
  private static final String[] LABELS = {NONE, "1xx", "2xx", "3xx", "4xx", "5xx"};

  private StatusClasses() {}

  /** 0 for no status, 1 to 5 for the classes. */
  static int index(int status) {
    return status < 100 || status > 599 ? 0 : status / 100;
  }

  static String label(int status) {
    return LABELS[index(status)];
  }

  static String labelOf(int index) {
    return LABELS[index];
  }

  static int count() {
    return LABELS.length;
  }
}
