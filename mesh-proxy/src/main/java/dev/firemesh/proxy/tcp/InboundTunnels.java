package dev.firemesh.proxy.tcp;

import dev.firemesh.traffic.config.DataPlaneConfig;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * What the inbound listener needs to accept tunnels: whose instance this is, where the local app
 * listens, and the configuration in force (for the service's declared ports).
 *
 * @param service the service of this instance; a tunnel naming another is refused
 * @param appHost the local application's host, loopback
 */
public record InboundTunnels(
    String service,
    String appHost,
    AppPorts appPorts,
    Supplier<Optional<DataPlaneConfig>> config,
    TunnelSettings settings) {
  public InboundTunnels {
    Objects.requireNonNull(service, "service");
    Objects.requireNonNull(appHost, "appHost");
    Objects.requireNonNull(appPorts, "appPorts");
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(settings, "settings");
  }
}
