package dev.firemesh.proxy.tcp;

import dev.firemesh.traffic.config.ClusterConfig;
import dev.firemesh.traffic.config.ServicePort;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Where the local application listens on loopback: an unnamed port (the service's HTTP port, as
 * {@code --app-port 8080} says), and ports by the service's port names ({@code --app-port
 * fix=9878}). An instance may serve an HTTP port and tcp ports side by side.
 *
 * <p>No port at all is an app that serves nothing ({@code firemesh run} of a batch job): HTTP
 * requests to it find no port (503), tunnels are refused.
 *
 * @param unnamed the HTTP port, or 0 if only named ports are given
 * @param named ports by service port name
 */
public record AppPorts(int unnamed, Map<String, Integer> named) {
  public AppPorts {
    named = Map.copyOf(named);
    if (unnamed < 0 || unnamed > 65535) {
      throw new IllegalArgumentException("app port out of range 1-65535: " + unnamed);
    }
    named.forEach(
        (name, port) -> {
          Objects.requireNonNull(name, "name");
          if (name.isEmpty() || port < 1 || port > 65535) {
            throw new IllegalArgumentException("bad app port " + name + "=" + port);
          }
        });
  }

  /**
   * The app port for a tunnel to {@code port} of a service declaring {@code declared}: the port
   * named so, else the unnamed port if the service declares only this one port.
   */
  public OptionalInt forTunnel(ServicePort port, List<ServicePort> declared) {
    Integer byName = named.get(port.name());
    if (byName != null) {
      return OptionalInt.of(byName);
    }
    return unnamed > 0 && declared.size() == 1 ? OptionalInt.of(unnamed) : OptionalInt.empty();
  }

  /**
   * The app port for HTTP requests: the unnamed port, else the named port of the first HTTP (or
   * HTTP/2, gRPC) port the service declares.
   */
  public Optional<Integer> forHttp(List<ServicePort> declared) {
    if (unnamed > 0) {
      return Optional.of(unnamed);
    }
    return declared.stream()
        .filter(p -> p.protocol() != ClusterConfig.Protocol.TCP)
        .map(p -> named.get(p.name()))
        .filter(Objects::nonNull)
        .findFirst();
  }
}
