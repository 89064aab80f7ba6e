package dev.firemesh.traffic.balance;

import static dev.firemesh.traffic.config.ClusterConfig.BalancerPolicy.ROUND_ROBIN;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

class RoundRobinTest {
  private static final PickContext CONTEXT = PickContext.of(new SplittableRandom(1));

  @Property(tries = 300)
  void everyCycleGivesEachEndpointExactlyItsWeightAndStaysSmooth(
      @ForAll @Size(min = 1, max = 8) List<@IntRange(min = 1, max = 40) Integer> weights) {
    List<UpstreamEndpoint> upstreams = Upstreams.withWeights(weights);
    Balancer balancer = Balancer.create(ROUND_ROBIN, upstreams);
    int total = weights.stream().mapToInt(Integer::intValue).sum();

    for (int cycle = 0; cycle < 2; cycle++) {
      int[] counts = new int[weights.size()];
      for (int step = 1; step <= total; step++) {
        counts[Upstreams.indexOf(upstreams, balancer.pick(CONTEXT).orElseThrow())]++;
        for (int i = 0; i < counts.length; i++) {
          // Smooth: never two picks ahead of or behind the ideal share at any point of the cycle.
          assertThat(Math.abs(counts[i] - (double) step * weights.get(i) / total))
              .as("endpoint %d after %d picks, weights %s", i, step, weights)
              .isLessThan(2);
        }
      }
      for (int i = 0; i < counts.length; i++) {
        assertThat(counts[i])
            .as("picks of endpoint %d, weights %s", i, weights)
            .isEqualTo(weights.get(i));
      }
    }
  }

  @Property(tries = 50)
  void theSequenceIsDeterministic(
      @ForAll @Size(min = 1, max = 6) List<@IntRange(min = 1, max = 10) Integer> weights) {
    List<UpstreamEndpoint> upstreams = Upstreams.withWeights(weights);
    assertThat(sequence(Balancer.create(ROUND_ROBIN, upstreams), 100))
        .isEqualTo(sequence(Balancer.create(ROUND_ROBIN, upstreams), 100));
  }

  @Example
  void interleavesAHeavyEndpointLikeNginx() {
    List<UpstreamEndpoint> upstreams = Upstreams.withWeights(List.of(5, 1, 1));
    List<UpstreamEndpoint> picks = sequence(Balancer.create(ROUND_ROBIN, upstreams), 7);
    UpstreamEndpoint a = upstreams.get(0);
    UpstreamEndpoint b = upstreams.get(1);
    UpstreamEndpoint c = upstreams.get(2);
    assertThat(picks).containsExactly(a, a, b, a, c, a, a);
  }

  @Example
  void equalWeightsGoInListOrder() {
    List<UpstreamEndpoint> upstreams = Upstreams.withWeights(List.of(3, 3, 3));
    assertThat(sequence(Balancer.create(ROUND_ROBIN, upstreams), 6))
        .containsExactly(
            upstreams.get(0),
            upstreams.get(1),
            upstreams.get(2),
            upstreams.get(0),
            upstreams.get(1),
            upstreams.get(2));
  }

  @Example
  void aHugeTotalWeightIsScaledToABoundedCycleKeepingEveryEndpoint() {
    List<UpstreamEndpoint> upstreams = Upstreams.withWeights(List.of(1_000_000, 999_999, 1));
    UpstreamEndpoint[] cycle = RoundRobin.cycle(upstreams);
    assertThat(cycle.length).isLessThanOrEqualTo(RoundRobin.MAX_CYCLE + upstreams.size());
    assertThat(cycle).contains(upstreams.get(2));
    long first = List.of(cycle).stream().filter(u -> u == upstreams.get(0)).count();
    assertThat((double) first / cycle.length)
        .isCloseTo(0.5, org.assertj.core.data.Offset.offset(0.001));
  }

  private static List<UpstreamEndpoint> sequence(Balancer balancer, int picks) {
    List<UpstreamEndpoint> sequence = new ArrayList<>();
    for (int i = 0; i < picks; i++) {
      sequence.add(balancer.pick(CONTEXT).orElseThrow());
    }
    return sequence;
  }
}
