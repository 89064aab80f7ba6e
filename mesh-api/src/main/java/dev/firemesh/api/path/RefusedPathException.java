package dev.firemesh.api.path;

/**
 * A request path that has no safe normal form: an escape that is not two hex digits, or one that
 * would decode to {@code /}, {@code \} or NUL (which the application might read as a separator or
 * an end). The request is refused (400) rather than guessed at.
 */
public final class RefusedPathException extends Exception {
  public RefusedPathException(String message) {
    super(message, null, false, false);
  }
}
