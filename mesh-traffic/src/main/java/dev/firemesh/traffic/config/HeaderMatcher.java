package dev.firemesh.traffic.config;

/** A condition on one header ({@code :method} for the method); {@code invert} negates it. */
public record HeaderMatcher(String name, StringMatcher matcher, boolean invert) {
  public static final String METHOD = ":method";

  public boolean matches(RequestView request) {
    boolean matched =
        matcher.matches(
            name.equals(METHOD) ? java.util.Optional.of(request.method()) : request.header(name));
    return matched != invert;
  }
}
