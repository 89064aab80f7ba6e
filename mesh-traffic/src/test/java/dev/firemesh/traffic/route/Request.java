package dev.firemesh.traffic.route;

import dev.firemesh.traffic.config.RequestView;
import java.util.Map;
import java.util.Optional;

/** A request for routing tests. */
record Request(String method, String path, Map<String, String> headers) implements RequestView {
  static Request get(String path) {
    return new Request("GET", path, Map.of());
  }

  Request with(String header, String value) {
    Map<String, String> more = new java.util.HashMap<>(headers);
    more.put(header, value);
    return new Request(method, path, more);
  }

  @Override
  public Optional<String> header(String lowerCaseName) {
    return Optional.ofNullable(headers.get(lowerCaseName));
  }
}
