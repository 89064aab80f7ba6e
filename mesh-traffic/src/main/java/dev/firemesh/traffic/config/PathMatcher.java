package dev.firemesh.traffic.config;

import java.util.regex.Pattern;

/** A condition on the request path (without query string). */
public sealed interface PathMatcher {
  boolean matches(String path);

  record Prefix(String prefix) implements PathMatcher {
    @Override
    public boolean matches(String path) {
      return path.startsWith(prefix);
    }
  }

  record Exact(String path) implements PathMatcher {
    @Override
    public boolean matches(String candidate) {
      return path.equals(candidate);
    }
  }

  /** The whole path must match. */
  record Regex(Pattern pattern) implements PathMatcher {
    @Override
    public boolean matches(String path) {
      return pattern.matcher(path).matches();
    }
  }
}
