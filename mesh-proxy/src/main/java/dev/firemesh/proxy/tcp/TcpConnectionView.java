package dev.firemesh.proxy.tcp;

import dev.firemesh.traffic.config.RequestView;
import java.util.Optional;

/**
 * A TCP connection as routing sees it: method {@code CONNECT}, path {@code /}, no headers. So a
 * service's routes apply to its TCP connections as far as they can: a route matching every path
 * (the default one, or a prefix {@code /}) with weighted destinations splits connections by weight;
 * a route that needs a header, a method or a longer path never matches a connection.
 */
enum TcpConnectionView implements RequestView {
  INSTANCE;

  @Override
  public String method() {
    return "CONNECT";
  }

  @Override
  public String path() {
    return "/";
  }

  @Override
  public Optional<String> header(String lowerCaseName) {
    return Optional.empty();
  }
}
