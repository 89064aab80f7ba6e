package dev.firemesh.xds.client;

import static dev.firemesh.xds.client.ProtoFields.at;

import dev.firemesh.traffic.config.HeaderMatcher;
import dev.firemesh.traffic.config.PathMatcher;
import dev.firemesh.traffic.config.RequestMatch;
import dev.firemesh.traffic.config.StringMatcher;
import io.envoyproxy.envoy.config.route.v3.RouteMatch;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** A route's match (path, headers, gRPC) as a {@link RequestMatch}. */
final class MatchDecoder {
  private static final Set<String> ROUTE_MATCH =
      Set.of("prefix", "path", "safe_regex", "case_sensitive", "headers", "grpc");
  private static final Set<String> HEADER_MATCHER =
      Set.of(
          "name",
          "invert_match",
          "string_match",
          "present_match",
          "exact_match",
          "prefix_match",
          "suffix_match",
          "contains_match",
          "safe_regex_match");
  private static final Set<String> STRING_MATCHER =
      Set.of("exact", "prefix", "suffix", "contains", "safe_regex", "ignore_case");
  private static final String CONTENT_TYPE = "content-type";
  private static final String GRPC_CONTENT_TYPE = "application/grpc";

  private MatchDecoder() {}

  static RequestMatch match(RouteMatch match, String path) throws FieldProblem {
    ProtoFields.only(match, path, ROUTE_MATCH);
    boolean caseSensitive = !match.hasCaseSensitive() || match.getCaseSensitive().getValue();
    PathMatcher pathMatcher =
        switch (match.getPathSpecifierCase()) {
          case PREFIX ->
              caseSensitive
                  ? new PathMatcher.Prefix(match.getPrefix())
                  : new PathMatcher.Regex(Re2Patterns.literal("", match.getPrefix(), ".*", true));
          case PATH ->
              caseSensitive
                  ? new PathMatcher.Exact(match.getPath())
                  : new PathMatcher.Regex(Re2Patterns.literal("", match.getPath(), "", true));
          // Envoy ignores case_sensitive for regular expressions.
          case SAFE_REGEX ->
              new PathMatcher.Regex(
                  Re2Patterns.compile(match.getSafeRegex(), at(path, "safe_regex"), false));
          default -> throw new FieldProblem(path, "needs one of prefix, path or safe_regex");
        };
    List<HeaderMatcher> headers = new ArrayList<>();
    for (int i = 0; i < match.getHeadersCount(); i++) {
      headers.add(header(match.getHeaders(i), at(path, "headers", i)));
    }
    if (match.hasGrpc()) {
      ProtoFields.only(match.getGrpc(), at(path, "grpc"), Set.of());
      headers.add(
          new HeaderMatcher(CONTENT_TYPE, new StringMatcher.Prefix(GRPC_CONTENT_TYPE), false));
    }
    return new RequestMatch(pathMatcher, headers);
  }

  @SuppressWarnings("deprecation") // the *_match forms before string_match, still sent by some
  static HeaderMatcher header(io.envoyproxy.envoy.config.route.v3.HeaderMatcher header, String path)
      throws FieldProblem {
    ProtoFields.only(header, path, HEADER_MATCHER);
    String name = header.getName().toLowerCase(Locale.ROOT);
    if (name.isEmpty()) {
      throw new FieldProblem(at(path, "name"), "required");
    }
    if (name.startsWith(":") && !name.equals(HeaderMatcher.METHOD)) {
      throw new FieldProblem(
          at(path, "name"), "only the :method pseudo-header can be matched, not " + name);
    }
    boolean invert = header.getInvertMatch();
    StringMatcher matcher =
        switch (header.getHeaderMatchSpecifierCase()) {
          case STRING_MATCH -> string(header.getStringMatch(), at(path, "string_match"));
          case PRESENT_MATCH -> {
            // present_match: false matches when the header is absent.
            invert ^= !header.getPresentMatch();
            yield new StringMatcher.Present();
          }
          case EXACT_MATCH -> new StringMatcher.Exact(header.getExactMatch());
          case PREFIX_MATCH -> new StringMatcher.Prefix(header.getPrefixMatch());
          case SUFFIX_MATCH ->
              new StringMatcher.Regex(
                  Re2Patterns.literal(".*", header.getSuffixMatch(), "", false));
          case CONTAINS_MATCH ->
              new StringMatcher.Regex(
                  Re2Patterns.literal(".*", header.getContainsMatch(), ".*", false));
          case SAFE_REGEX_MATCH ->
              new StringMatcher.Regex(
                  Re2Patterns.compile(
                      header.getSafeRegexMatch(), at(path, "safe_regex_match"), false));
          // Envoy checks only that the header is present when no specifier is given.
          case HEADERMATCHSPECIFIER_NOT_SET -> new StringMatcher.Present();
          default ->
              throw new FieldProblem(
                  path, header.getHeaderMatchSpecifierCase() + " is not supported");
        };
    return new HeaderMatcher(name, matcher, invert);
  }

  static StringMatcher string(
      io.envoyproxy.envoy.type.matcher.v3.StringMatcher matcher, String path) throws FieldProblem {
    ProtoFields.only(matcher, path, STRING_MATCHER);
    boolean ignoreCase = matcher.getIgnoreCase();
    return switch (matcher.getMatchPatternCase()) {
      case EXACT ->
          ignoreCase
              ? new StringMatcher.Regex(Re2Patterns.literal("", matcher.getExact(), "", true))
              : new StringMatcher.Exact(matcher.getExact());
      case PREFIX ->
          ignoreCase
              ? new StringMatcher.Regex(Re2Patterns.literal("", matcher.getPrefix(), ".*", true))
              : new StringMatcher.Prefix(matcher.getPrefix());
      case SUFFIX ->
          new StringMatcher.Regex(Re2Patterns.literal(".*", matcher.getSuffix(), "", ignoreCase));
      case CONTAINS ->
          new StringMatcher.Regex(
              Re2Patterns.literal(".*", matcher.getContains(), ".*", ignoreCase));
      // Envoy ignores ignore_case for regular expressions.
      case SAFE_REGEX ->
          new StringMatcher.Regex(
              Re2Patterns.compile(matcher.getSafeRegex(), at(path, "safe_regex"), false));
      default ->
          throw new FieldProblem(
              path, "needs one of exact, prefix, suffix, contains or safe_regex");
    };
  }
}
