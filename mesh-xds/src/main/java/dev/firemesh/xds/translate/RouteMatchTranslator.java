package dev.firemesh.xds.translate;

import dev.firemesh.api.resource.Route;
import dev.firemesh.api.resource.Route.PathMatch;
import dev.firemesh.api.resource.Route.ValueMatch;
import io.envoyproxy.envoy.config.route.v3.HeaderMatcher;
import io.envoyproxy.envoy.config.route.v3.RouteMatch;
import io.envoyproxy.envoy.type.matcher.v3.RegexMatcher;
import io.envoyproxy.envoy.type.matcher.v3.StringMatcher;
import java.util.List;
import java.util.stream.Collectors;

/**
 * One FireMesh match to one Envoy {@link RouteMatch}: path, method, headers and cookies.
 *
 * <p>Regular expressions are RE2, Envoy's default (and only non-deprecated) engine; the {@code
 * google_re2} engine field is deprecated in the v3 API and left unset.
 */
final class RouteMatchTranslator {
  static final String METHOD_HEADER = ":method";
  static final String COOKIE_HEADER = "cookie";

  // Cookies are separated by ';' in one header; several cookie headers arrive joined with ','
  // (Envoy and grpc-java both join repeated headers so). Cookie values cannot hold either.
  private static final String ANY_COOKIES_BEFORE = "(?:.*[;,]\\s*)?";
  private static final String ANY_COOKIES_AFTER = "(?:[;,].*)?";
  private static final String COOKIE_VALUE = "[^;,]*";

  private RouteMatchTranslator() {}

  /** The match that accepts every request. */
  static RouteMatch any() {
    return RouteMatch.newBuilder().setPrefix("/").build();
  }

  static RouteMatch match(Route.Match match) {
    RouteMatch.Builder route = RouteMatch.newBuilder();
    switch (match.path()) {
      case PathMatch.Any() -> route.setPrefix("/");
      case PathMatch.Exact(String path) -> route.setPath(path);
      case PathMatch.Prefix(String prefix) -> route.setPrefix(prefix);
      case PathMatch.Regex(String regex) -> route.setSafeRegex(regex(regex));
    }
    if (!match.methods().isEmpty()) {
      route.addHeaders(method(match.methods()));
    }
    for (Route.HeaderMatch header : match.headers()) {
      route.addHeaders(header(header.name(), header.value(), header.invert()));
    }
    for (Route.CookieMatch cookie : match.cookies()) {
      route.addHeaders(cookie(cookie));
    }
    return route.build();
  }

  private static HeaderMatcher method(List<String> methods) {
    HeaderMatcher.Builder header = HeaderMatcher.newBuilder().setName(METHOD_HEADER);
    if (methods.size() == 1) {
      return header.setStringMatch(StringMatcher.newBuilder().setExact(methods.getFirst())).build();
    }
    String alternatives = methods.stream().map(Re2::quote).collect(Collectors.joining("|"));
    return header
        .setStringMatch(StringMatcher.newBuilder().setSafeRegex(regex(alternatives)))
        .build();
  }

  static HeaderMatcher header(String name, ValueMatch value, boolean invert) {
    HeaderMatcher.Builder header = HeaderMatcher.newBuilder().setName(name).setInvertMatch(invert);
    switch (value) {
      case ValueMatch.Present() -> header.setPresentMatch(true);
      case ValueMatch.Exact(String exact) ->
          header.setStringMatch(StringMatcher.newBuilder().setExact(exact));
      case ValueMatch.Prefix(String prefix) ->
          header.setStringMatch(StringMatcher.newBuilder().setPrefix(prefix));
      case ValueMatch.Regex(String regex) ->
          header.setStringMatch(StringMatcher.newBuilder().setSafeRegex(regex(regex)));
    }
    return header.build();
  }

  /**
   * Neither Envoy's route match nor grpc-java's has a cookie matcher, so a cookie condition becomes
   * a regular expression over the whole {@code cookie} header that finds {@code name=value} among
   * the other cookies. A user regex for the value is used as written; one that matches {@code ;}
   * could reach into the next cookie.
   */
  static HeaderMatcher cookie(Route.CookieMatch cookie) {
    String value =
        switch (cookie.value()) {
          case ValueMatch.Present() -> COOKIE_VALUE;
          case ValueMatch.Exact(String exact) -> Re2.quote(exact);
          case ValueMatch.Prefix(String prefix) -> Re2.quote(prefix) + COOKIE_VALUE;
          case ValueMatch.Regex(String regex) -> "(?:" + regex + ")";
        };
    String pattern =
        ANY_COOKIES_BEFORE + Re2.quote(cookie.name()) + "=" + value + ANY_COOKIES_AFTER;
    return HeaderMatcher.newBuilder()
        .setName(COOKIE_HEADER)
        .setInvertMatch(cookie.invert())
        .setStringMatch(StringMatcher.newBuilder().setSafeRegex(regex(pattern)))
        .build();
  }

  static RegexMatcher regex(String regex) {
    return RegexMatcher.newBuilder().setRegex(regex).build();
  }
}
