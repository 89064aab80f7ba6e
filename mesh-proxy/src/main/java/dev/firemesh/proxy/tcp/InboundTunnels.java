package dev.firemesh.proxy.tcp;

import dev.firemesh.proxy.authz.AuthorizationLog;
import dev.firemesh.traffic.authz.Authorizer;
import dev.firemesh.traffic.config.DataPlaneConfig;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * What the inbound listener needs to accept tunnels and requests: whose instance this is, where the
 * local app listens, the configuration in force (for the service's declared ports), and the
 * service's authorization.
 *
 * @param service the service of this instance; a tunnel naming another is refused
 * @param appHost the local application's host, loopback
 * @param authorizer the service's authorization policies in force, for requests and tunnels
 * @param authorizationLog where denials are logged, shared by requests and tunnels
 */
public record InboundTunnels(
    String service,
    String appHost,
    AppPorts appPorts,
    Supplier<Optional<DataPlaneConfig>> config,
    TunnelSettings settings,
    Authorizer authorizer,
    AuthorizationLog authorizationLog) {
  public InboundTunnels {
    Objects.requireNonNull(service, "service");
    Objects.requireNonNull(appHost, "appHost");
    Objects.requireNonNull(appPorts, "appPorts");
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(settings, "settings");
    Objects.requireNonNull(authorizer, "authorizer");
    Objects.requireNonNull(authorizationLog, "authorizationLog");
  }

  /** Without authorization policies: every caller may call. */
  public InboundTunnels(
      String service,
      String appHost,
      AppPorts appPorts,
      Supplier<Optional<DataPlaneConfig>> config,
      TunnelSettings settings) {
    this(service, appHost, appPorts, config, settings, new Authorizer(), new AuthorizationLog());
  }
}
