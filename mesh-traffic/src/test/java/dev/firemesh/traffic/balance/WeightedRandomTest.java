package dev.firemesh.traffic.balance;

import static dev.firemesh.traffic.config.ClusterConfig.BalancerPolicy.RANDOM;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.SplittableRandom;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

class WeightedRandomTest {

  @Property(tries = 40)
  void picksEachEndpointInProportionToItsWeight(
      @ForAll @Size(min = 1, max = 8) List<@IntRange(min = 1, max = 100) Integer> weights,
      @ForAll long seed) {
    List<UpstreamEndpoint> upstreams = Upstreams.withWeights(weights);
    Balancer balancer = Balancer.create(RANDOM, upstreams);
    PickContext context = PickContext.of(new SplittableRandom(seed));
    int trials = 20_000;
    int[] counts = new int[weights.size()];
    for (int i = 0; i < trials; i++) {
      counts[Upstreams.indexOf(upstreams, balancer.pick(context).orElseThrow())]++;
    }
    double total = weights.stream().mapToInt(Integer::intValue).sum();
    for (int i = 0; i < counts.length; i++) {
      BinomialBounds.assertWithinFiveSigma(
          "endpoint " + i + " of " + weights, counts[i], trials, weights.get(i) / total);
    }
  }

  @Example
  void anEmptyClusterHasNothingToPick() {
    assertThat(Balancer.create(RANDOM, List.of()).pick(PickContext.of(new SplittableRandom(1))))
        .isEmpty();
  }
}
