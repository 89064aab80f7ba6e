package dev.firemesh.traffic.balance;

import java.util.List;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * Least request by the power of two random choices: draw two distinct endpoints at random in
 * proportion to their weights and send to the one with fewer requests in flight per unit of weight
 * (the first drawn on a tie). With equal weights this is Envoy's P2C on active request counts,
 * except that the two candidates are always distinct, so with two endpoints the less loaded one is
 * always chosen. Idle endpoints all tie at zero, so an idle cluster is balanced by weight.
 *
 * <p>Envoy, when weights differ, schedules by {@code weight / (active + 1)} with an
 * earliest-deadline-first queue; that queue is shared mutable state, which this lock-free variant
 * avoids while keeping the same intent: load is compared relative to capacity.
 */
final class LeastRequest implements Balancer {
  private final UpstreamEndpoint[] endpoints;
  private final WeightTable weights;

  LeastRequest(List<UpstreamEndpoint> endpoints) {
    this.endpoints = endpoints.toArray(UpstreamEndpoint[]::new);
    this.weights = new WeightTable(endpoints);
  }

  @Override
  public Optional<UpstreamEndpoint> pick(PickContext context) {
    if (endpoints.length == 1) {
      return Optional.of(endpoints[0]);
    }
    RandomGenerator random = context.random();
    int firstIndex = weights.draw(random);
    UpstreamEndpoint first = endpoints[firstIndex];
    UpstreamEndpoint second = endpoints[weights.drawOther(random, firstIndex)];
    // active(first) / weight(first) against active(second) / weight(second), in integers.
    long firstLoad = (long) first.activeRequests().count() * second.weight();
    long secondLoad = (long) second.activeRequests().count() * first.weight();
    return Optional.of(secondLoad < firstLoad ? second : first);
  }
}
