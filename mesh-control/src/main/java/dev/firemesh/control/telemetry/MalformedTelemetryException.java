package dev.firemesh.control.telemetry;

/**
 * A telemetry request that cannot be read at all (not OTLP, wrong structure): answered 400 with the
 * message. Problems of single spans are not this: they are rejected one by one and counted.
 */
public final class MalformedTelemetryException extends RuntimeException {
  public MalformedTelemetryException(String message) {
    super(message);
  }

  public MalformedTelemetryException(String message, Throwable cause) {
    super(message, cause);
  }
}
