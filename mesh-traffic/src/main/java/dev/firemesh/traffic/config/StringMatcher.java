package dev.firemesh.traffic.config;

import java.util.Optional;
import java.util.regex.Pattern;

/** A condition on a header value; absent values match only nothing (or, inverted, everything). */
public sealed interface StringMatcher {
  boolean matches(Optional<String> value);

  record Present() implements StringMatcher {
    @Override
    public boolean matches(Optional<String> value) {
      return value.isPresent();
    }
  }

  record Exact(String value) implements StringMatcher {
    @Override
    public boolean matches(Optional<String> candidate) {
      return candidate.isPresent() && candidate.get().equals(value);
    }
  }

  record Prefix(String prefix) implements StringMatcher {
    @Override
    public boolean matches(Optional<String> value) {
      return value.isPresent() && value.get().startsWith(prefix);
    }
  }

  /** The whole value must match. */
  record Regex(Pattern pattern) implements StringMatcher {
    @Override
    public boolean matches(Optional<String> value) {
      return value.isPresent() && pattern.matcher(value.get()).matches();
    }
  }
}
