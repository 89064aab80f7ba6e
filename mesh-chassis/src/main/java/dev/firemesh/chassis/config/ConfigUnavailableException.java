package dev.firemesh.chassis.config;

/**
 * The service has no configuration to start with: the control plane gave none in time and the cache
 * had none it could use (or the defaults alone do not bind). The message says which.
 */
public final class ConfigUnavailableException extends RuntimeException {
  public ConfigUnavailableException(String message) {
    super(message);
  }

  public ConfigUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
