package dev.firemesh.traffic.config;

import java.util.Objects;
import java.util.Optional;

/**
 * What keeps a user on one of a route's weighted clusters: the value of a header or a cookie, whose
 * hash stands in for the random draw. {@link #NONE}: always a random draw.
 */
public record StickyKey(Source source, String name) {
  public static final StickyKey NONE = new StickyKey(Source.NONE, "");

  public enum Source {
    NONE,
    HEADER,
    COOKIE
  }

  public StickyKey {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(name, "name");
  }

  public static StickyKey header(String name) {
    return new StickyKey(Source.HEADER, name.toLowerCase(java.util.Locale.ROOT));
  }

  public static StickyKey cookie(String name) {
    return new StickyKey(Source.COOKIE, name);
  }

  /** The request's value for this key; empty when it has none (or the key is {@link #NONE}). */
  public Optional<String> valueIn(RequestView request) {
    return switch (source) {
      case NONE -> Optional.empty();
      case HEADER -> request.header(name).filter(v -> !v.isEmpty());
      case COOKIE -> request.header("cookie").flatMap(c -> cookie(c, name));
    };
  }

  /**
   * The value of cookie {@code name} in a {@code Cookie} header: pairs separated by {@code ;}
   * (several headers arrive joined with {@code ,}), the first pair of that name wins, surrounding
   * double quotes are dropped.
   */
  static Optional<String> cookie(String header, String name) {
    int at = 0;
    while (at < header.length()) {
      int end = at;
      while (end < header.length() && header.charAt(end) != ';' && header.charAt(end) != ',') {
        end++;
      }
      int eq = header.indexOf('=', at);
      if (eq > 0 && eq < end && header.substring(at, eq).strip().equals(name)) {
        String value = header.substring(eq + 1, end).strip();
        if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
          value = value.substring(1, value.length() - 1);
        }
        return value.isEmpty() ? Optional.empty() : Optional.of(value);
      }
      at = end + 1;
    }
    return Optional.empty();
  }
}
