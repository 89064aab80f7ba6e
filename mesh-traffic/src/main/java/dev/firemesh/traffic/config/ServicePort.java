package dev.firemesh.traffic.config;

import java.util.Objects;

/**
 * A port a service declares: its name (unique within the service), its number on the instances and
 * the protocol it speaks. A sidecar needs them for TCP ports, which it cannot route by request: a
 * tunnel names the port, and the receiving sidecar checks that it exists and is {@code TCP}.
 */
public record ServicePort(String name, int port, ClusterConfig.Protocol protocol) {
  public ServicePort {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(protocol, "protocol");
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("service port out of range 1-65535: " + port);
    }
  }
}
