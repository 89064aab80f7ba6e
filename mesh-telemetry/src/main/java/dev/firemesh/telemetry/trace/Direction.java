package dev.firemesh.telemetry.trace;

/**
 * Which of the sidecar's listeners carried the hop; the {@code direction} label of the golden
 * metrics and the {@code firemesh.direction} attribute.
 */
public enum Direction {
  INBOUND("inbound", SpanKind.SERVER),
  OUTBOUND("outbound", SpanKind.CLIENT);

  private final String label;
  private final SpanKind kind;

  Direction(String label, SpanKind kind) {
    this.label = label;
    this.kind = kind;
  }

  /** {@code inbound} or {@code outbound}. */
  public String label() {
    return label;
  }

  public SpanKind spanKind() {
    return kind;
  }
}
