package dev.firemesh.api.codec;

import dev.firemesh.api.identity.SpiffeIdPattern;
import dev.firemesh.api.validation.Names;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * What a string field accepts: a description for messages ("expected ..."), a check that may add
 * detail to the message, and a normalisation applied to accepted values (header names are stored
 * lower-case, HTTP methods upper-case).
 *
 * @param check empty if the value is accepted, else a detail to append (may be "")
 */
record StringRule(
    String expected, Function<String, Optional<String>> check, UnaryOperator<String> normalize) {

  static final StringRule NAME =
      new StringRule(Names.DNS_LABEL_RULE, s -> accept(Names.isDnsLabel(s)), s -> s);

  static final StringRule LABEL_KEY =
      matching(
          "a label key (an optional DNS prefix and '/', then up to 63 letters, digits, '-', '_'"
              + " or '.')",
          "([a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?");

  static final StringRule LABEL_VALUE =
      matching(
          "a label value (up to 63 letters, digits, '-', '_' or '.')",
          "([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?");

  static final StringRule HEADER_NAME =
      new StringRule(
          "an HTTP header name",
          s -> accept(Pattern.matches(":?[!#$%&'*+.^_`|~0-9A-Za-z-]{1,256}", s)),
          s -> s.toLowerCase(Locale.ROOT));

  /** Header and cookie values: any text but control characters (tab is allowed). */
  static final StringRule HEADER_VALUE =
      matching(
          "a header value without control characters", "[^\\x00-\\x08\\x0a-\\x1f\\x7f]{0,8192}");

  static final StringRule COOKIE_NAME =
      matching("a cookie name", "[!#$%&'*+.^_`|~0-9A-Za-z-]{1,256}");

  static final StringRule REQUEST_PATH =
      matching("a path starting with '/'", "/[\\x21-\\x7e]{0,4095}");

  /** A host for a rewrite or redirect: a DNS name or IPv4 address, optionally with a port. */
  static final StringRule HOST =
      matching(
          "a host name, optionally with a port (orders.internal, example.com:8443)",
          "[A-Za-z0-9]([-A-Za-z0-9.]{0,251}[A-Za-z0-9])?(:[0-9]{1,5})?");

  static final StringRule REDIRECT_SCHEME = matching("http or https", "https?");

  /** A direct response's body: text up to 4096 characters, line breaks and tabs allowed. */
  static final StringRule BODY =
      matching(
          "text of at most 4096 characters without control characters other than tab and line"
              + " breaks",
          "[^\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f]{0,4096}");

  /**
   * A path in the normal form the inbound side gives requests before authorizing them (see {@link
   * AuthorizationPaths}), optionally ending in {@code *} to match a prefix: a rule spelled
   * otherwise could never match.
   */
  static final StringRule AUTHORIZATION_PATH =
      new StringRule(
          "a path starting with '/' in normal form (no '//', '.' or '..' segments, no query,"
              + " percent-escapes only for reserved characters, upper-case hex), optionally ending"
              + " in '*' to match a prefix",
          AuthorizationPaths::problem,
          UnaryOperator.identity());

  /**
   * A workload identity exactly ({@code spiffe://prod.bank/env/prod/svc/gateway}), or a prefix of
   * identities: a trust domain's ({@code spiffe://prod.bank/*}) or an environment's ({@code
   * spiffe://prod.bank/env/prod/*}).
   */
  static final StringRule SPIFFE_ID_OR_PREFIX =
      new StringRule(
          "a SPIFFE ID such as spiffe://prod.bank/env/prod/svc/gateway, or a prefix"
              + " spiffe://prod.bank/* or spiffe://prod.bank/env/prod/*",
          s -> accept(SpiffeIdPattern.isValid(s)),
          UnaryOperator.identity());

  static final StringRule INSTANCE_ID =
      matching(
          "an instance ID (letters, digits, '.', '_', ':' and '-')",
          "[A-Za-z0-9]([A-Za-z0-9._:-]{0,251}[A-Za-z0-9])?");

  private static final Set<String> METHODS =
      Set.of("GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH");

  static final StringRule HTTP_METHOD =
      new StringRule(
          "an HTTP method (GET, HEAD, POST, PUT, DELETE, CONNECT, OPTIONS, TRACE or PATCH)",
          s -> accept(METHODS.contains(s.toUpperCase(Locale.ROOT))),
          s -> s.toUpperCase(Locale.ROOT));

  static final StringRule REGEX =
      new StringRule(
          "a regular expression (RE2 syntax)", StringRule::regexProblem, UnaryOperator.identity());

  private static final int MAX_REGEX_LENGTH = 1024;

  /** Empty if {@code value} is accepted, else the detail of why not. */
  Optional<String> problem(String value) {
    return check.apply(value);
  }

  private static StringRule matching(String expected, String regex) {
    Pattern pattern = Pattern.compile(regex);
    return new StringRule(
        expected, s -> accept(pattern.matcher(s).matches()), UnaryOperator.identity());
  }

  private static Optional<String> accept(boolean ok) {
    return ok ? Optional.empty() : Optional.of("");
  }

  /**
   * Compiles with java.util.regex after refusing what RE2 (Envoy's engine) lacks: backreferences,
   * lookaround, atomic groups and possessive quantifiers, which also cause catastrophic
   * backtracking.
   */
  private static Optional<String> regexProblem(String regex) {
    if (regex.length() > MAX_REGEX_LENGTH) {
      return Optional.of(" (longer than " + MAX_REGEX_LENGTH + " characters)");
    }
    boolean inClass = false;
    for (int i = 0; i < regex.length(); i++) {
      char c = regex.charAt(i);
      char next = i + 1 < regex.length() ? regex.charAt(i + 1) : '\0';
      if (c == '\\') {
        if (!inClass && ((next >= '1' && next <= '9') || next == 'k')) {
          return Optional.of(": backreferences are not supported");
        }
        i++;
      } else if (inClass) {
        inClass = c != ']';
      } else if (c == '[') {
        inClass = true;
        if (next == ']' || next == '^') {
          i++;
        }
      } else if (c == '(' && next == '?' && i + 2 < regex.length()) {
        String rest = regex.substring(i + 2, Math.min(regex.length(), i + 4));
        if (rest.startsWith("=")
            || rest.startsWith("!")
            || rest.startsWith(">")
            || rest.equals("<=")
            || rest.equals("<!")) {
          return Optional.of(": lookaround and atomic groups are not supported");
        }
      } else if ((c == '*' || c == '+' || c == '?' || c == '}') && next == '+') {
        return Optional.of(": possessive quantifiers are not supported");
      }
    }
    try {
      Pattern.compile(regex);
      return Optional.empty();
    } catch (PatternSyntaxException e) {
      return Optional.of(": " + e.getDescription() + " near index " + e.getIndex());
    }
  }
}
