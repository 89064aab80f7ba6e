package dev.firemesh.chassis.http;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A service's HTTP routes, matched in the order added by method and path. A path is literal
 * segments and {@code {name}} segments, which match one non-empty segment each and reach the
 * handler as {@link HttpRequest#pathParam}; a final {@code *} segment matches the rest (possibly
 * empty). Immutable once built.
 *
 * <pre>{@code
 * HttpRoutes routes = HttpRoutes.builder()
 *     .get("/orders/{id}", request -> HttpResponse.json(200, find(request.pathParam("id"))))
 *     .post("/orders", this::place)
 *     .build();
 * }</pre>
 */
public final class HttpRoutes {
  private static final Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_]*");

  /** A route as added; {@code template} is also the {@code route} label of its metrics. */
  public record Route(String method, String template, HttpHandler handler) {}

  /** A request's route and the values of its path parameters. */
  public record Match(Route route, Map<String, String> pathParams) {}

  private final List<Route> routes;

  private HttpRoutes(List<Route> routes) {
    this.routes = List.copyOf(routes);
  }

  public static Builder builder() {
    return new Builder();
  }

  public List<Route> routes() {
    return routes;
  }

  /** This and then {@code more}'s routes, in that order. */
  public HttpRoutes and(HttpRoutes more) {
    List<Route> all = new ArrayList<>(routes);
    all.addAll(more.routes);
    return new HttpRoutes(all);
  }

  /** The first route for {@code method} and {@code path}. */
  public Optional<Match> match(String method, String path) {
    for (Route route : routes) {
      if (route.method.equals(method)) {
        Optional<Map<String, String>> params = bind(route.template, path);
        if (params.isPresent()) {
          return Optional.of(new Match(route, params.get()));
        }
      }
    }
    return Optional.empty();
  }

  /** Whether some route has this path under another method (a 405 rather than a 404). */
  public boolean pathKnown(String path) {
    return routes.stream().anyMatch(route -> bind(route.template, path).isPresent());
  }

  private static Optional<Map<String, String>> bind(String template, String path) {
    String[] want = template.substring(1).split("/", -1);
    String[] got = path.startsWith("/") ? path.substring(1).split("/", -1) : new String[] {};
    Map<String, String> params = new java.util.LinkedHashMap<>();
    for (int i = 0; i < want.length; i++) {
      String segment = want[i];
      if (segment.equals("*") && i == want.length - 1) {
        return Optional.of(params);
      }
      if (i >= got.length) {
        return Optional.empty();
      }
      if (segment.startsWith("{")) {
        if (got[i].isEmpty()) {
          return Optional.empty();
        }
        params.put(segment.substring(1, segment.length() - 1), got[i]);
      } else if (!segment.equals(got[i])) {
        return Optional.empty();
      }
    }
    return want.length == got.length ? Optional.of(params) : Optional.empty();
  }

  public static final class Builder {
    private final List<Route> routes = new ArrayList<>();

    private Builder() {}

    public Builder get(String path, HttpHandler handler) {
      return route("GET", path, handler);
    }

    public Builder post(String path, HttpHandler handler) {
      return route("POST", path, handler);
    }

    public Builder put(String path, HttpHandler handler) {
      return route("PUT", path, handler);
    }

    public Builder delete(String path, HttpHandler handler) {
      return route("DELETE", path, handler);
    }

    /**
     * @throws IllegalArgumentException for a path that does not start with {@code /}, an empty or
     *     malformed {@code {name}}, a repeated name, or a {@code *} that is not the last segment
     */
    public Builder route(String method, String path, HttpHandler handler) {
      if (!path.startsWith("/")) {
        throw new IllegalArgumentException("route path must start with '/': " + path);
      }
      String[] segments = path.substring(1).split("/", -1);
      java.util.Set<String> names = new java.util.HashSet<>();
      for (int i = 0; i < segments.length; i++) {
        String segment = segments[i];
        if (segment.equals("*") && i != segments.length - 1) {
          throw new IllegalArgumentException("'*' must be the last segment: " + path);
        }
        if (segment.startsWith("{") || segment.endsWith("}")) {
          String name =
              segment.length() > 2 && segment.startsWith("{") && segment.endsWith("}")
                  ? segment.substring(1, segment.length() - 1)
                  : "";
          if (!NAME.matcher(name).matches() || !names.add(name)) {
            throw new IllegalArgumentException(
                "bad or repeated path parameter '" + segment + "' in " + path);
          }
        }
      }
      routes.add(new Route(method.toUpperCase(Locale.ROOT), path, handler));
      return this;
    }

    public HttpRoutes build() {
      return new HttpRoutes(routes);
    }
  }
}
