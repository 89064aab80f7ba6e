package dev.firemesh.traffic.balance;

import static dev.firemesh.traffic.config.ClusterConfig.BalancerPolicy.LEAST_REQUEST;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

class LeastRequestTest {

  @Property(tries = 500)
  void ofTwoEndpointsTheLessLoadedPerUnitOfWeightIsAlwaysPicked(
      @ForAll @IntRange(min = 1, max = 5) int firstWeight,
      @ForAll @IntRange(min = 1, max = 5) int secondWeight,
      @ForAll @IntRange(max = 50) int firstActive,
      @ForAll @IntRange(max = 50) int secondActive,
      @ForAll long seed) {
    List<UpstreamEndpoint> upstreams = Upstreams.withWeights(List.of(firstWeight, secondWeight));
    Upstreams.setActive(upstreams.get(0), firstActive);
    Upstreams.setActive(upstreams.get(1), secondActive);
    Balancer balancer = Balancer.create(LEAST_REQUEST, upstreams);
    PickContext context = PickContext.of(new SplittableRandom(seed));

    long first = (long) firstActive * secondWeight;
    long second = (long) secondActive * firstWeight;
    for (int i = 0; i < 20; i++) {
      UpstreamEndpoint picked = balancer.pick(context).orElseThrow();
      if (first < second) {
        assertThat(picked).isSameAs(upstreams.get(0));
      } else if (second < first) {
        assertThat(picked).isSameAs(upstreams.get(1));
      }
    }
  }

  @Property(tries = 30)
  void anIdleEndpointAmongBusyOnesIsPickedWheneverItIsOneOfTheTwoChoices(
      @ForAll @IntRange(min = 3, max = 8) int size,
      @ForAll @IntRange(min = 1, max = 20) int busyLoad,
      @ForAll long seed) {
    List<UpstreamEndpoint> upstreams = Upstreams.ofEqualWeight(size);
    int idle = new SplittableRandom(seed).nextInt(size);
    for (int i = 0; i < size; i++) {
      Upstreams.setActive(upstreams.get(i), i == idle ? 0 : busyLoad);
    }
    Balancer balancer = Balancer.create(LEAST_REQUEST, upstreams);
    PickContext context = PickContext.of(new SplittableRandom(seed));

    int trials = 20_000;
    int idlePicks = 0;
    for (int i = 0; i < trials; i++) {
      if (balancer.pick(context).orElseThrow() == upstreams.get(idle)) {
        idlePicks++;
      }
    }
    // Two distinct candidates out of n: the idle one is among them with probability 2/n (1/n for
    // a random pick).
    BinomialBounds.assertWithinFiveSigma("idle endpoint", idlePicks, trials, 2.0 / size);
  }

  @Property(tries = 30)
  void anIdleClusterIsBalancedByWeight(
      @ForAll @Size(min = 2, max = 6) List<@IntRange(min = 1, max = 9) Integer> weights,
      @ForAll long seed) {
    List<UpstreamEndpoint> upstreams = Upstreams.withWeights(weights);
    Balancer balancer = Balancer.create(LEAST_REQUEST, upstreams);
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

  @Property(tries = 20)
  void sequentialRequestsHeldOpenSpreadEvenly(
      @ForAll @IntRange(min = 2, max = 6) int size, @ForAll long seed) {
    List<UpstreamEndpoint> upstreams = Upstreams.withWeights(Collections.nCopies(size, 1));
    Balancer balancer = Balancer.create(LEAST_REQUEST, upstreams);
    PickContext context = PickContext.of(new SplittableRandom(seed));
    // Requests that never finish: P2C keeps the loads within a small spread of each other.
    for (int i = 0; i < 100 * size; i++) {
      balancer.pick(context).orElseThrow().activeRequests().increment();
    }
    int max = upstreams.stream().mapToInt(u -> u.activeRequests().count()).max().orElseThrow();
    int min = upstreams.stream().mapToInt(u -> u.activeRequests().count()).min().orElseThrow();
    assertThat(max - min).isLessThanOrEqualTo(size < 3 ? 1 : 10);
  }
}
