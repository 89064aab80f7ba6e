package dev.firemesh.chassis.http;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A request as a chassis handler sees it: read whole (bodies are bounded by the server), immutable.
 *
 * @param path the path without the query, percent-decoding left to the handler
 * @param pathParams the values of the route's {@code {name}} segments
 * @param query the query's parameters, decoded, in the order given
 * @param headers lower-case names
 */
public record HttpRequest(
    String method,
    String path,
    Map<String, String> pathParams,
    Map<String, List<String>> query,
    Map<String, List<String>> headers,
    byte[] body) {

  public HttpRequest {
    pathParams = Map.copyOf(pathParams);
    query = Map.copyOf(query);
    headers = Map.copyOf(headers);
  }

  /** The first value of a query parameter. */
  public Optional<String> queryParam(String name) {
    List<String> values = query.get(name);
    return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.getFirst());
  }

  /** The first value of a header, by any case of its name. */
  public Optional<String> header(String name) {
    List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
    return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.getFirst());
  }

  /**
   * A path parameter the route declared.
   *
   * @throws IllegalArgumentException if the route has no such parameter (a programming error)
   */
  public String pathParam(String name) {
    String value = pathParams.get(name);
    if (value == null) {
      throw new IllegalArgumentException("the route has no path parameter {" + name + "}");
    }
    return value;
  }

  public String bodyText() {
    return new String(body, StandardCharsets.UTF_8);
  }
}
