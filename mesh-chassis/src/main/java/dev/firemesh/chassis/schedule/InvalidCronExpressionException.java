package dev.firemesh.chassis.schedule;

/**
 * A cron expression that cannot be parsed, or that can never fire. Names the field at fault and the
 * text found there.
 */
public final class InvalidCronExpressionException extends IllegalArgumentException {
  private final String field;
  private final String text;

  InvalidCronExpressionException(String expression, String field, String text, String fault) {
    super(
        "invalid cron expression \"" + expression + "\": " + field + " \"" + text + "\": " + fault);
    this.field = field;
    this.text = text;
  }

  /** The field at fault: {@code minute}, {@code hour}, ..., or {@code expression} for the whole. */
  public String field() {
    return field;
  }

  /** The offending text. */
  public String text() {
    return text;
  }
}
