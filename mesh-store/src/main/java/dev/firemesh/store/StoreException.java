package dev.firemesh.store;

/**
 * The store could not do what was asked: the database is unreachable, the embedded server would not
 * start, or a request named something that does not exist. The message says what and where.
 */
public class StoreException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public StoreException(String message) {
    super(message);
  }

  public StoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
