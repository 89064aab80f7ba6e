package dev.firemesh.traffic.config;

import java.util.Optional;

/**
 * What routing may look at in a request, whatever carries it (an HTTP/1.1 or HTTP/2 request in the
 * sidecar, a call in the chassis). Header names are lower case; {@code :method} is the method.
 */
public interface RequestView {
  String method();

  /** The path without the query string. */
  String path();

  /** The header's value, several values joined with {@code ","}; empty if absent. */
  Optional<String> header(String lowerCaseName);
}
