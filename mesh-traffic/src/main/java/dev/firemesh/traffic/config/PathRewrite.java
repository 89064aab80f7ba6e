package dev.firemesh.traffic.config;

import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** How a route changes a request's path (without the query string). */
public sealed interface PathRewrite {

  PathRewrite NONE = new None();

  /**
   * The new path for {@code path}, which {@code matched} accepted. A prefix rewrite replaces what
   * the matcher accepted: its prefix, or the whole path for an exact or regex match.
   */
  String apply(PathMatcher matched, String path);

  record None() implements PathRewrite {
    @Override
    public String apply(PathMatcher matched, String path) {
      return path;
    }
  }

  /** The whole path is replaced (Envoy's {@code path_redirect}). */
  record Full(String path) implements PathRewrite {
    public Full {
      Objects.requireNonNull(path, "path");
    }

    @Override
    public String apply(PathMatcher matched, String ignored) {
      return path;
    }
  }

  /** The matched prefix is replaced by {@code replacement} (Envoy's {@code prefix_rewrite}). */
  record Prefix(String replacement) implements PathRewrite {
    public Prefix {
      Objects.requireNonNull(replacement, "replacement");
    }

    @Override
    public String apply(PathMatcher matched, String path) {
      return switch (matched) {
        case PathMatcher.Prefix p when path.startsWith(p.prefix()) ->
            replacement + path.substring(p.prefix().length());
        case PathMatcher.Prefix p -> path;
        case PathMatcher.Exact e -> replacement;
        case PathMatcher.Regex r -> replacement;
      };
    }
  }

  /**
   * Every match of {@code pattern} is replaced by {@code substitution}, where {@code \1} to {@code
   * \9} stand for the pattern's groups and {@code \\} for a backslash (Envoy's {@code
   * regex_rewrite}, RE2 syntax).
   */
  record Regex(Pattern pattern, String substitution) implements PathRewrite {
    public Regex {
      Objects.requireNonNull(pattern, "pattern");
      Objects.requireNonNull(substitution, "substitution");
    }

    @Override
    public String apply(PathMatcher matched, String path) {
      return pattern.matcher(path).replaceAll(javaReplacement(substitution));
    }

    /** Envoy's {@code \1} group references in java.util.regex's {@code $1} form. */
    static String javaReplacement(String substitution) {
      StringBuilder out = new StringBuilder(substitution.length() + 4);
      for (int i = 0; i < substitution.length(); i++) {
        char c = substitution.charAt(i);
        char next = i + 1 < substitution.length() ? substitution.charAt(i + 1) : '\0';
        if (c == '\\' && next >= '0' && next <= '9') {
          out.append('$').append(next);
          i++;
        } else if (c == '\\' && next == '\\') {
          out.append("\\\\");
          i++;
        } else {
          out.append(Matcher.quoteReplacement(String.valueOf(c)));
        }
      }
      return out.toString();
    }
  }
}
