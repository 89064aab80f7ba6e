package dev.firemesh.proxy.tcp;

import java.util.Objects;

/**
 * A service port the local application reaches as a plain TCP port: the sidecar listens on {@code
 * listenPort} (loopback) and tunnels each connection to an instance of {@code service}.
 *
 * @param port the service's port name; empty means the service's one tcp port
 * @param listenPort where the sidecar listens; 0 picks a free port
 */
public record TcpUpstream(String service, String port, int listenPort) {
  public TcpUpstream {
    Objects.requireNonNull(service, "service");
    Objects.requireNonNull(port, "port");
    if (service.isEmpty()) {
      throw new IllegalArgumentException("an upstream names a service");
    }
    if (listenPort < 0 || listenPort > 65535) {
      throw new IllegalArgumentException("upstream listen port out of range: " + listenPort);
    }
  }

  /**
   * Parses {@code <service>[:<port-name>]=<local-port>}, as {@code firemesh proxy --upstream} takes
   * it.
   *
   * @throws IllegalArgumentException saying what was expected
   */
  public static TcpUpstream parse(String text) {
    int equals = text.lastIndexOf('=');
    if (equals <= 0) {
      throw new IllegalArgumentException(
          "expected <service>[:<port-name>]=<local-port>, got \"" + text + "\"");
    }
    String target = text.substring(0, equals);
    int localPort;
    try {
      localPort = Integer.parseInt(text.substring(equals + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "expected a local port number after '=' in \"" + text + "\"");
    }
    if (localPort < 0 || localPort > 65535) {
      throw new IllegalArgumentException(
          "local port out of range 1-65535 (0 picks one) in \"" + text + "\"");
    }
    int colon = target.indexOf(':');
    String service = colon < 0 ? target : target.substring(0, colon);
    String port = colon < 0 ? "" : target.substring(colon + 1);
    if (service.isEmpty() || (colon >= 0 && port.isEmpty())) {
      throw new IllegalArgumentException(
          "expected <service>[:<port-name>] before '=' in \"" + text + "\"");
    }
    return new TcpUpstream(service, port, localPort);
  }

  /** {@code service} or {@code service:port}, as the tunnel names it. */
  public String authority() {
    return port.isEmpty() ? service : service + ":" + port;
  }
}
