package dev.firemesh.control.ca;

/**
 * A rotation step refused because the CA is not in the state the step needs (out of order, too
 * early, old SVIDs still live). {@link #reason()} is a stable code; the message says what to do.
 * The admin API answers 409.
 */
public final class RotationRefused extends RuntimeException {
  private final String reason;

  RotationRefused(String reason, String message) {
    super(message, null, false, false);
    this.reason = reason;
  }

  public String reason() {
    return reason;
  }
}
