package dev.firemesh.proxy.forward;

import dev.firemesh.proxy.upstream.UpstreamAddress;
import dev.firemesh.proxy.upstream.UpstreamProtocol;
import dev.firemesh.traffic.route.ClusterRuntime;
import dev.firemesh.traffic.route.RequestLease;
import java.time.Duration;
import java.util.Objects;

/**
 * Where one request goes and under which connection rules.
 *
 * @param protocol how the request travels there: an HTTP/1.1 connection of its own, or a stream on
 *     a shared HTTP/2 connection
 * @param lease closed exactly once when the request ends, whatever the outcome
 * @param runtime the circuit breaker and counters of the cluster the address belongs to
 */
public record Target(
    UpstreamAddress address,
    UpstreamProtocol protocol,
    Duration connectTimeout,
    Duration idleTimeout,
    RequestLease lease,
    ClusterRuntime runtime) {

  /** For targets outside load balancing, such as the local application. */
  public static final RequestLease NO_LEASE = () -> {};

  public Target {
    Objects.requireNonNull(address, "address");
    Objects.requireNonNull(protocol, "protocol");
    Objects.requireNonNull(connectTimeout, "connectTimeout");
    Objects.requireNonNull(idleTimeout, "idleTimeout");
    Objects.requireNonNull(lease, "lease");
    Objects.requireNonNull(runtime, "runtime");
  }

  /** A target outside any cluster's limits, with counters of its own. */
  public Target(
      UpstreamAddress address,
      UpstreamProtocol protocol,
      Duration connectTimeout,
      Duration idleTimeout,
      RequestLease lease) {
    this(address, protocol, connectTimeout, idleTimeout, lease, ClusterRuntime.unlimited());
  }
}
