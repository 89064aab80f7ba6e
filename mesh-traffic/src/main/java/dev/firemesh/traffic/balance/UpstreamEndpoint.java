package dev.firemesh.traffic.balance;

import dev.firemesh.traffic.config.Endpoint;
import dev.firemesh.traffic.health.EndpointHealth;
import java.util.Objects;

/**
 * An endpoint as a balancer sees it: its address and weight, the requests in flight to it, and its
 * health, which the requests sent to it feed.
 */
public record UpstreamEndpoint(
    Endpoint endpoint, ActiveRequests activeRequests, EndpointHealth health) {
  public UpstreamEndpoint {
    Objects.requireNonNull(endpoint, "endpoint");
    Objects.requireNonNull(activeRequests, "activeRequests");
    Objects.requireNonNull(health, "health");
  }

  /**
   * An endpoint of a cluster of its own, for balancers used without a {@link ClusterState}: always
   * healthy.
   */
  public UpstreamEndpoint(Endpoint endpoint, ActiveRequests activeRequests) {
    this(endpoint, activeRequests, EndpointHealth.detached(endpoint.hostPort()));
  }

  public int weight() {
    return endpoint.weight();
  }
}
