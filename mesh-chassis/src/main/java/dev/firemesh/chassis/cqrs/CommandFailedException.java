package dev.firemesh.chassis.cqrs;

/**
 * A command that got no outcome: the owner answered an error status (400 for a command it cannot
 * take, 404 for a category it does not own, 409 or 503 for one to send again), or could not be
 * reached (status 0). Sending it again with the same command id is safe: it is applied at most
 * once.
 */
public final class CommandFailedException extends RuntimeException {
  private final String service;
  private final int status;

  public CommandFailedException(String service, int status, String message) {
    super(message);
    this.service = service;
    this.status = status;
  }

  public CommandFailedException(String service, String message, Throwable cause) {
    super(message, cause);
    this.service = service;
    this.status = 0;
  }

  /** The service the command was sent to. */
  public String service() {
    return service;
  }

  /** The HTTP status answered, 0 if there was no answer. */
  public int status() {
    return status;
  }

  /**
   * Whether sending again may succeed: no answer, a conflict or a server-side failure; a 4xx other
   * than 409 will be answered the same.
   */
  public boolean retryable() {
    return status == 0 || status == 409 || status >= 500;
  }
}
