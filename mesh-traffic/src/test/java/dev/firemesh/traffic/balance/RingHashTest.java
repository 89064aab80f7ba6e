package dev.firemesh.traffic.balance;

import static dev.firemesh.traffic.config.ClusterConfig.BalancerPolicy.RING_HASH;
import static org.assertj.core.api.Assertions.assertThat;

import dev.firemesh.traffic.config.Endpoint;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.SplittableRandom;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

class RingHashTest {
  private static final SplittableRandom UNUSED = new SplittableRandom(0);

  @Property(tries = 50)
  void aKeyAlwaysReachesTheSameEndpointWhateverTheOrderOfTheEndpoints(
      @ForAll @IntRange(min = 1, max = 10) int size, @ForAll long seed) {
    List<UpstreamEndpoint> upstreams = randomUpstreams(size, seed);
    List<UpstreamEndpoint> shuffled = new ArrayList<>(upstreams);
    Collections.shuffle(shuffled, new Random(seed));
    Balancer ring = Balancer.create(RING_HASH, upstreams);
    Balancer shuffledRing = Balancer.create(RING_HASH, shuffled);

    for (String key : keys(500, seed)) {
      UpstreamEndpoint owner = pick(ring, key);
      assertThat(pick(ring, key)).isSameAs(owner);
      assertThat(pick(shuffledRing, key)).isSameAs(owner);
    }
  }

  @Property(tries = 50)
  void removingAnEndpointMovesOnlyTheKeysItOwned(
      @ForAll @IntRange(min = 2, max = 10) int size, @ForAll long seed) {
    List<UpstreamEndpoint> upstreams = randomUpstreams(size, seed);
    UpstreamEndpoint removed = upstreams.get(new SplittableRandom(seed).nextInt(size));
    List<UpstreamEndpoint> remaining = new ArrayList<>(upstreams);
    remaining.remove(removed);
    Balancer before = Balancer.create(RING_HASH, upstreams);
    Balancer after = Balancer.create(RING_HASH, remaining);

    int moved = 0;
    List<String> keys = keys(2_000, seed);
    for (String key : keys) {
      UpstreamEndpoint owner = pick(before, key);
      if (owner == removed) {
        assertThat(pick(after, key)).isNotSameAs(removed);
        moved++;
      } else {
        assertThat(pick(after, key)).as("key %s", key).isSameAs(owner);
      }
    }
    assertThat(moved).as("keys that were on the removed endpoint").isPositive();
  }

  @Property(tries = 30)
  void keysSpreadInProportionToWeight(
      @ForAll @IntRange(min = 2, max = 8) int size, @ForAll long seed) {
    List<UpstreamEndpoint> upstreams = randomUpstreams(size, seed);
    Balancer ring = Balancer.create(RING_HASH, upstreams);
    int trials = 20_000;
    Map<UpstreamEndpoint, Integer> counts = new HashMap<>();
    for (String key : keys(trials, seed)) {
      counts.merge(pick(ring, key), 1, Integer::sum);
    }
    double totalWeight = upstreams.stream().mapToInt(UpstreamEndpoint::weight).sum();
    for (UpstreamEndpoint upstream : upstreams) {
      // 100 points per weight unit leave each endpoint's arc within ~10 % (one sigma) of its share;
      // half the share either way is five sigma.
      double expected = trials * upstream.weight() / totalWeight;
      assertThat((double) counts.getOrDefault(upstream, 0))
          .as("keys on %s (weight %d) of %s", upstream.endpoint(), upstream.weight(), upstreams)
          .isBetween(expected * 0.5, expected * 1.5);
    }
  }

  @Property(tries = 20)
  void withoutAKeyRequestsGoToRandomEndpointsByWeight(
      @ForAll @IntRange(min = 2, max = 6) int size, @ForAll long seed) {
    List<UpstreamEndpoint> upstreams = randomUpstreams(size, seed);
    Balancer ring = Balancer.create(RING_HASH, upstreams);
    PickContext context = PickContext.of(new SplittableRandom(seed));
    int trials = 10_000;
    Map<UpstreamEndpoint, Integer> counts = new HashMap<>();
    for (int i = 0; i < trials; i++) {
      counts.merge(ring.pick(context).orElseThrow(), 1, Integer::sum);
    }
    double totalWeight = upstreams.stream().mapToInt(UpstreamEndpoint::weight).sum();
    for (UpstreamEndpoint upstream : upstreams) {
      BinomialBounds.assertWithinFiveSigma(
          upstream.endpoint().hostPort(),
          counts.getOrDefault(upstream, 0),
          trials,
          upstream.weight() / totalWeight);
    }
  }

  @Example
  void theRingHasAHundredPointsPerWeightUnitUpToItsBound() {
    assertThat(new RingHash(Upstreams.withWeights(List.of(1, 2, 3))).size()).isEqualTo(600);
    RingHash huge = new RingHash(Upstreams.withWeights(List.of(10_000, 10_000, 1)));
    assertThat(huge.size())
        .isLessThanOrEqualTo(RingHash.MAX_POINTS)
        .isGreaterThan(RingHash.MAX_POINTS / 2);
  }

  private static UpstreamEndpoint pick(Balancer ring, String key) {
    return ring.pick(new PickContext(UNUSED, key)).orElseThrow();
  }

  /** {@code size} endpoints at distinct random addresses, weights 1 to 4. */
  private static List<UpstreamEndpoint> randomUpstreams(int size, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    Set<String> seen = new LinkedHashSet<>();
    List<UpstreamEndpoint> upstreams = new ArrayList<>();
    while (upstreams.size() < size) {
      String address =
          "10." + random.nextInt(256) + "." + random.nextInt(256) + "." + random.nextInt(256);
      int port = 1024 + random.nextInt(60_000);
      if (seen.add(address + ":" + port)) {
        upstreams.add(
            new UpstreamEndpoint(
                new Endpoint(address, port, "eu", "eu-1", 1 + random.nextInt(4)),
                new ActiveRequests()));
      }
    }
    return upstreams;
  }

  private static List<String> keys(int count, long seed) {
    SplittableRandom random = new SplittableRandom(~seed);
    List<String> keys = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      keys.add("user-" + Long.toHexString(random.nextLong()));
    }
    return keys;
  }
}
