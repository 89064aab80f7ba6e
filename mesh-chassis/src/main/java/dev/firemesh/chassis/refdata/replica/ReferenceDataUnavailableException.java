package dev.firemesh.chassis.refdata.replica;

/** A replica could not load its first snapshot: the owner is unreachable or refused. */
public class ReferenceDataUnavailableException extends RuntimeException {
  public ReferenceDataUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
