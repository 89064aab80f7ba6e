package dev.firemesh.traffic.config;

import java.util.Objects;

/**
 * Answer with a redirect to the request's own URL with {@code scheme}, {@code host} (an authority,
 * port allowed) and the path changed as given; an empty {@code scheme} or {@code host} keeps the
 * request's. {@code status} is 301, 302, 303, 307 or 308.
 */
public record Redirect(String scheme, String host, PathRewrite path, int status)
    implements RouteEntry.Action {

  public Redirect {
    Objects.requireNonNull(scheme, "scheme");
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(path, "path");
  }

  /**
   * The {@code Location} for a request to {@code requestScheme://requestHost} with {@code target}
   * (path and query) that {@code matched} accepted. The query stays unless the new path brings one
   * (as Envoy's {@code path_redirect} does).
   */
  public String location(
      String requestScheme, String requestHost, String target, PathMatcher matched) {
    int queryAt = target.indexOf('?');
    String path = queryAt < 0 ? target : target.substring(0, queryAt);
    String query = queryAt < 0 ? "" : target.substring(queryAt);
    String newPath = this.path.apply(matched, path);
    if (newPath.indexOf('?') >= 0) {
      query = "";
    }
    return (scheme.isEmpty() ? requestScheme : scheme)
        + "://"
        + (host.isEmpty() ? requestHost : host)
        + newPath
        + query;
  }
}
