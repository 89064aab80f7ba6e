package dev.firemesh.chassis.config;

/** A {@link Secret}'s reference could not be read; the message names the reference only. */
public final class SecretUnavailableException extends RuntimeException {
  SecretUnavailableException(String message) {
    super(message);
  }

  SecretUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
