package dev.firemesh.xds.client;

import io.envoyproxy.envoy.type.matcher.v3.RegexMatcher;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * RE2 expressions (Envoy's {@code safe_regex}) compiled with {@link java.util.regex}, which the
 * traffic model uses. The two syntaxes mostly agree; where they do not, this either rewrites the
 * RE2 form (named groups, POSIX classes, script names, {@code \v}) or refuses it, so a pattern
 * never silently means something else. Refused: what Java has and RE2 lacks (backreferences,
 * lookaround, atomic groups, possessive quantifiers, class unions and intersections, Java-only
 * escapes) and RE2's {@code U} flag, which Java reads differently.
 *
 * <p>{@link Pattern#UNIX_LINES} makes {@code .}, {@code ^} and {@code $} treat only {@code \n} as a
 * line end, as RE2 does.
 */
final class Re2Patterns {
  private static final int MAX_LENGTH = 4096;

  private static final Map<String, String> POSIX_CLASSES =
      Map.ofEntries(
          Map.entry("alnum", "Alnum"),
          Map.entry("alpha", "Alpha"),
          Map.entry("ascii", "ASCII"),
          Map.entry("blank", "Blank"),
          Map.entry("cntrl", "Cntrl"),
          Map.entry("digit", "Digit"),
          Map.entry("graph", "Graph"),
          Map.entry("lower", "Lower"),
          Map.entry("print", "Print"),
          Map.entry("punct", "Punct"),
          Map.entry("space", "Space"),
          Map.entry("upper", "Upper"),
          Map.entry("xdigit", "XDigit"));

  /** Escapes that mean something in Java and nothing (or something else) in RE2. */
  private static final String JAVA_ONLY_ESCAPES = "CRXhHVGZekcN";

  private Re2Patterns() {}

  /** A {@code safe_regex}; only the default engine (RE2) is accepted. */
  static Pattern compile(RegexMatcher regex, String path, boolean ignoreCase) throws FieldProblem {
    ProtoFields.only(regex, path, java.util.Set.of("regex", "google_re2"));
    return compile(regex.getRegex(), ProtoFields.at(path, "regex"), ignoreCase);
  }

  static Pattern compile(String re2, String path, boolean ignoreCase) throws FieldProblem {
    if (re2.length() > MAX_LENGTH) {
      throw new FieldProblem(path, "longer than " + MAX_LENGTH + " characters");
    }
    String java = toJava(re2, path);
    int flags = Pattern.UNIX_LINES;
    if (ignoreCase) {
      flags |= Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE;
    }
    try {
      return Pattern.compile(java, flags);
    } catch (PatternSyntaxException e) {
      throw new FieldProblem(
          path,
          "invalid regular expression '"
              + re2
              + "': "
              + e.getDescription()
              + " near index "
              + e.getIndex());
    }
  }

  /** Literal text as a pattern, for matchers the model has no direct form of. */
  static Pattern literal(String prefix, String text, String suffix, boolean ignoreCase) {
    int flags = Pattern.UNIX_LINES | Pattern.DOTALL;
    if (ignoreCase) {
      flags |= Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE;
    }
    return Pattern.compile(prefix + Pattern.quote(text) + suffix, flags);
  }

  private static String toJava(String re2, String path) throws FieldProblem {
    StringBuilder out = new StringBuilder(re2.length() + 8);
    boolean inClass = false;
    int i = 0;
    while (i < re2.length()) {
      char c = re2.charAt(i);
      char next = i + 1 < re2.length() ? re2.charAt(i + 1) : '\0';
      if (c == '\\') {
        if (next == 'Q') {
          // Quoted text runs to \E or the end, in both syntaxes.
          int end = re2.indexOf("\\E", i + 2);
          int stop = end < 0 ? re2.length() : end + 2;
          out.append(re2, i, stop);
          i = stop;
          continue;
        }
        if (next >= '1' && next <= '9') {
          throw refused(path, re2, "backreferences");
        }
        if (next != '\0' && JAVA_ONLY_ESCAPES.indexOf(next) >= 0) {
          throw refused(path, re2, "the escape \\" + next);
        }
        if ((next == 'p' || next == 'P') && i + 2 < re2.length() && re2.charAt(i + 2) == '{') {
          int end = re2.indexOf('}', i + 3);
          if (end > 0) {
            out.append(property(next == 'P', re2.substring(i + 3, end)));
            i = end + 1;
            continue;
          }
        }
        if (next == 'v') {
          out.append("\\x0B");
        } else {
          out.append(c);
          if (next != '\0') {
            out.append(next);
          }
        }
        i += 2;
        continue;
      }
      if (inClass) {
        if (c == '[' && next == ':') {
          int end = re2.indexOf(":]", i + 2);
          if (end < 0) {
            throw refused(path, re2, "a '[' inside a character class");
          }
          String name = re2.substring(i + 2, end);
          boolean negated = name.startsWith("^");
          String posix = negated ? name.substring(1) : name;
          if (posix.equals("word")) {
            out.append(negated ? "\\W" : "\\w");
          } else if (POSIX_CLASSES.containsKey(posix)) {
            out.append(negated ? "\\P{" : "\\p{").append(POSIX_CLASSES.get(posix)).append('}');
          } else {
            throw refused(path, re2, "the class [:" + name + ":]");
          }
          i = end + 2;
          continue;
        }
        if (c == '[') {
          throw refused(path, re2, "a '[' inside a character class (Java reads it as a union)");
        }
        if (c == '&' && next == '&') {
          throw refused(
              path, re2, "'&&' inside a character class (Java reads it as an intersection)");
        }
        if (c == ']') {
          inClass = false;
        }
        out.append(c);
        i++;
        continue;
      }
      switch (c) {
        case '[' -> {
          inClass = true;
          out.append(c);
          i++;
          // A ']' right after '[' or '[^' is a literal in both syntaxes.
          if (next == '^') {
            out.append(next);
            i++;
          }
          if (i < re2.length() && re2.charAt(i) == ']') {
            out.append(']');
            i++;
          }
        }
        case '(' -> i = group(re2, i, out, path);
        case '*', '+', '?', '}' -> {
          if (next == '+') {
            throw refused(path, re2, "possessive quantifiers");
          }
          out.append(c);
          i++;
        }
        default -> {
          out.append(c);
          i++;
        }
      }
    }
    return out.toString();
  }

  /**
   * A Unicode class: RE2 names scripts bare ({@code \p{Greek}}) and negates with {@code ^}; Java
   * wants {@code Is} before a script and {@code \P} for the negation. One- and two-letter names are
   * general categories in both.
   */
  private static String property(boolean negated, String name) {
    if (name.startsWith("^")) {
      negated = !negated;
      name = name.substring(1);
    }
    String java = name.length() > 2 ? "Is" + name : name;
    return (negated ? "\\P{" : "\\p{") + java + "}";
  }

  /** Copies the opening of a group at {@code i}; returns the index after it. */
  private static int group(String re2, int i, StringBuilder out, String path) throws FieldProblem {
    if (!re2.startsWith("(?", i)) {
      out.append('(');
      return i + 1;
    }
    String rest = re2.substring(i + 2);
    if (rest.startsWith("P<")
        || (rest.startsWith("<") && !rest.startsWith("<=") && !rest.startsWith("<!"))) {
      // A named group: the name only matters for extraction, so it becomes a plain group (Java's
      // names are narrower than RE2's).
      int end = re2.indexOf('>', i);
      if (end < 0) {
        throw new FieldProblem(
            path, "invalid regular expression '" + re2 + "': unterminated group name");
      }
      out.append('(');
      return end + 1;
    }
    if (rest.startsWith("=")
        || rest.startsWith("!")
        || rest.startsWith("<")
        || rest.startsWith(">")) {
      throw refused(path, re2, "lookaround and atomic groups");
    }
    // Flags, as in (?i) or (?s:...): RE2 has i, m, s and U; Java's U means something else.
    int j = i + 2;
    while (j < re2.length() && re2.charAt(j) != ')' && re2.charAt(j) != ':') {
      char flag = re2.charAt(j);
      if (flag != 'i' && flag != 'm' && flag != 's' && flag != '-') {
        throw refused(path, re2, "the flag '" + flag + "'");
      }
      j++;
    }
    out.append("(?");
    return i + 2;
  }

  private static FieldProblem refused(String path, String re2, String what) {
    return new FieldProblem(path, "not RE2 syntax ('" + re2 + "'): " + what + " not supported");
  }
}
