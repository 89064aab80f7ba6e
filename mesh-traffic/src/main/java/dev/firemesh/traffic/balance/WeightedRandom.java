package dev.firemesh.traffic.balance;

import java.util.List;
import java.util.Optional;

/** Each pick independent: endpoint {@code i} with probability {@code weight(i) / total weight}. */
final class WeightedRandom implements Balancer {
  private final UpstreamEndpoint[] endpoints;
  private final WeightTable weights;

  WeightedRandom(List<UpstreamEndpoint> endpoints) {
    this.endpoints = endpoints.toArray(UpstreamEndpoint[]::new);
    this.weights = new WeightTable(endpoints);
  }

  @Override
  public Optional<UpstreamEndpoint> pick(PickContext context) {
    return Optional.of(endpoints[weights.draw(context.random())]);
  }
}
