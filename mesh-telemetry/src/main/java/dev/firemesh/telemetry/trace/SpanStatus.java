package dev.firemesh.telemetry.trace;

/** OpenTelemetry's span status: a code, and a message only for errors. */
public record SpanStatus(Code code, String message) {
  public static final SpanStatus UNSET = new SpanStatus(Code.UNSET, "");

  public enum Code {
    UNSET,
    OK,
    ERROR
  }

  public SpanStatus {
    if (code != Code.ERROR && !message.isEmpty()) {
      throw new IllegalArgumentException("only an error status carries a message");
    }
  }

  public static SpanStatus error(String message) {
    return new SpanStatus(Code.ERROR, message);
  }
}
