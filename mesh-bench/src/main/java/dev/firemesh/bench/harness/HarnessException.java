package dev.firemesh.bench.harness;

/** A scenario could not be set up or run; the message says which and why, with log lines. */
public final class HarnessException extends RuntimeException {
  public HarnessException(String message) {
    super(message);
  }

  public HarnessException(String message, Throwable cause) {
    super(message, cause);
  }
}
