package dev.firemesh.traffic.balance;

import dev.firemesh.traffic.config.Endpoint;
import java.util.Objects;

/** An endpoint as a balancer sees it: its address and weight, and the requests in flight to it. */
public record UpstreamEndpoint(Endpoint endpoint, ActiveRequests activeRequests) {
  public UpstreamEndpoint {
    Objects.requireNonNull(endpoint, "endpoint");
    Objects.requireNonNull(activeRequests, "activeRequests");
  }

  public int weight() {
    return endpoint.weight();
  }
}
