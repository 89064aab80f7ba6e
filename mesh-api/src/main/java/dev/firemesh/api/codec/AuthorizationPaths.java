package dev.firemesh.api.codec;

import dev.firemesh.api.path.RefusedPathException;
import dev.firemesh.api.path.RequestPaths;
import java.util.Optional;

/**
 * An authorization rule's path: a path in the normal form of {@link RequestPaths}, which every
 * request is put in before matching, optionally ending in {@code *}. A rule spelled otherwise could
 * never match, so it is refused, saying how requests will read.
 */
final class AuthorizationPaths {
  private static final int MAX_LENGTH = 4096;

  private AuthorizationPaths() {}

  /** Empty if {@code path} (with an optional trailing {@code *}) is accepted, else why not. */
  static Optional<String> problem(String path) {
    String p = path.endsWith("*") ? path.substring(0, path.length() - 1) : path;
    if (p.isEmpty() || p.charAt(0) != '/' || path.length() > MAX_LENGTH) {
      return Optional.of("");
    }
    for (int i = 0; i < p.length(); i++) {
      char c = p.charAt(i);
      if (c == '?' || c == '#' || c == '*') {
        return Optional.of(" ('" + c + "' at index " + i + ")");
      }
    }
    try {
      String normal = RequestPaths.normalize(p);
      return normal.equals(p)
          ? Optional.empty()
          : Optional.of(" (requests are matched as " + Values.quote(normal) + ")");
    } catch (RefusedPathException e) {
      return Optional.of(" (a request with " + e.getMessage() + " is refused before matching)");
    }
  }
}
