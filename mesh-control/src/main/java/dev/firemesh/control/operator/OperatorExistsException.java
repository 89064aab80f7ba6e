package dev.firemesh.control.operator;

/** An operator of that name exists, or existed: the admin API answers 409. */
public final class OperatorExistsException extends RuntimeException {
  public OperatorExistsException(String message) {
    super(message);
  }
}
