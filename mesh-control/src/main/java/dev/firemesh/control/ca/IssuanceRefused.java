package dev.firemesh.control.ca;

/**
 * An SVID request refused. {@link #status()} is the HTTP status it gets (400 malformed, 401 not
 * authenticated, 403 authenticated but not for this identity); {@link #reason()} a stable code, the
 * label of {@code firemesh_ca_svid_refusals_total}.
 */
public final class IssuanceRefused extends RuntimeException {
  private final int status;
  private final String reason;

  IssuanceRefused(int status, String reason, String message) {
    super(message, null, false, false);
    this.status = status;
    this.reason = reason;
  }

  static IssuanceRefused badRequest(String reason, String message) {
    return new IssuanceRefused(400, reason, message);
  }

  static IssuanceRefused unauthenticated(String reason, String message) {
    return new IssuanceRefused(401, reason, message);
  }

  static IssuanceRefused forbidden(String reason, String message) {
    return new IssuanceRefused(403, reason, message);
  }

  public int status() {
    return status;
  }

  public String reason() {
    return reason;
  }
}
