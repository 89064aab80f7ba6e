package dev.firemesh.chassis.http;

/** Thrown by a handler for an expected refusal: answered with {@code status} and the message. */
public class HttpError extends RuntimeException {
  private final int status;

  public HttpError(int status, String message) {
    super(message);
    if (status < 400 || status > 599) {
      throw new IllegalArgumentException("status " + status + " is not an error status");
    }
    this.status = status;
  }

  public int status() {
    return status;
  }
}
