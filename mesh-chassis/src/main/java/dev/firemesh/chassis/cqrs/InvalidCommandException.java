package dev.firemesh.chassis.cqrs;

/**
 * A command that cannot be taken as sent: an unknown type, JSON that does not bind to its record,
 * or a command the addressed aggregate does not take. Answered 400 over the mesh; the message says
 * what was wrong.
 */
public final class InvalidCommandException extends RuntimeException {
  public InvalidCommandException(String message) {
    super(message);
  }

  public InvalidCommandException(String message, Throwable cause) {
    super(message, cause);
  }
}
