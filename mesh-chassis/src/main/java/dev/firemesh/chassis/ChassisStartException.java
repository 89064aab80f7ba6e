package dev.firemesh.chassis;

/**
 * The chassis could not start the service: the message says which dependency failed (the control
 * plane, the identity, the store, the configuration, the reference data, the port) and what to do.
 */
public class ChassisStartException extends RuntimeException {
  public ChassisStartException(String message, Throwable cause) {
    super(message, cause);
  }

  public ChassisStartException(String message) {
    super(message);
  }
}
