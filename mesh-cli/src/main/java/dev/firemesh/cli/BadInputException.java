package dev.firemesh.cli;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Bad local input: a file that cannot be read, an option value that makes no sense. The command
 * stops before (or instead of) calling the control plane, with exit code 2.
 */
public final class BadInputException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public BadInputException(String message) {
    super(message);
  }

  /** "cannot read {what}{path}: no such file", without the path twice as the JDK says it. */
  static BadInputException cannotRead(String what, Path path, IOException e) {
    return new BadInputException("cannot read " + what + path + ": " + reason(e));
  }

  /** Why an I/O operation failed, in a few words. */
  static String reason(IOException e) {
    return switch (e) {
      case NoSuchFileException n -> "no such file";
      case CharacterCodingException c -> "not UTF-8 text";
      case AccessDeniedException a -> "permission denied";
      case FileSystemException f when f.getReason() != null -> f.getReason();
      default -> e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    };
  }
}
