package dev.firemesh.traffic.config;

import java.util.List;
import java.util.Objects;

/** A path condition and header conditions, all of which must hold. */
public record RequestMatch(PathMatcher path, List<HeaderMatcher> headers) {
  public static final RequestMatch ANY = new RequestMatch(new PathMatcher.Prefix("/"), List.of());

  public RequestMatch {
    Objects.requireNonNull(path, "path");
    headers = List.copyOf(headers);
  }

  public boolean matches(RequestView request) {
    if (!path.matches(request.path())) {
      return false;
    }
    for (HeaderMatcher header : headers) {
      if (!header.matches(request)) {
        return false;
      }
    }
    return true;
  }
}
