package dev.firemesh.traffic.balance;

import dev.firemesh.traffic.config.ClusterConfig;
import dev.firemesh.traffic.config.ClusterConfig.BalancerPolicy;
import java.util.List;
import java.util.Optional;

/**
 * Picks one endpoint of a cluster for a request. A balancer is built for one fixed list of
 * endpoints and is thread-safe and non-blocking: event loops call {@link #pick} concurrently.
 */
@FunctionalInterface
public interface Balancer {
  /** The endpoint for this request; empty only when there is no endpoint to pick. */
  Optional<UpstreamEndpoint> pick(PickContext context);

  /**
   * A balancer of {@code policy} over {@code endpoints}, in the order given (the hashing balancers
   * do not depend on it); a MAGLEV table of the default size.
   */
  static Balancer create(BalancerPolicy policy, List<UpstreamEndpoint> endpoints) {
    return create(policy, endpoints, ClusterConfig.DEFAULT_MAGLEV_TABLE_SIZE);
  }

  /** As {@link #create(BalancerPolicy, List)}, with a MAGLEV table of {@code maglevTableSize}. */
  static Balancer create(
      BalancerPolicy policy, List<UpstreamEndpoint> endpoints, int maglevTableSize) {
    if (endpoints.isEmpty()) {
      return context -> Optional.empty();
    }
    return switch (policy) {
      case ROUND_ROBIN -> new RoundRobin(endpoints);
      case LEAST_REQUEST -> new LeastRequest(endpoints);
      case RANDOM -> new WeightedRandom(endpoints);
      case RING_HASH -> new RingHash(endpoints);
      case MAGLEV -> new Maglev(endpoints, maglevTableSize);
    };
  }
}
