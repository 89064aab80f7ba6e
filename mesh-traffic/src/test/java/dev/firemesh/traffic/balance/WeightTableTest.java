package dev.firemesh.traffic.balance;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * The second choice of least request: drawn by weight among the endpoints other than the first. The
 * balancer tests reach this only with equal weights or two endpoints, where it cannot be wrong by
 * weight.
 */
class WeightTableTest {

  @Property(tries = 40)
  void drawOtherNeverDrawsTheExcludedAndFollowsTheOthersWeights(
      @ForAll @Size(min = 2, max = 8) List<@IntRange(min = 1, max = 20) Integer> weights,
      @ForAll long seed) {
    WeightTable table = new WeightTable(Upstreams.withWeights(weights));
    SplittableRandom random = new SplittableRandom(seed);
    int excluded = random.nextInt(weights.size());
    int trials = 20_000;
    int[] counts = new int[weights.size()];
    for (int i = 0; i < trials; i++) {
      counts[table.drawOther(random, excluded)]++;
    }

    assertThat(counts[excluded]).as("draws of the excluded endpoint").isZero();
    double others = weights.stream().mapToInt(Integer::intValue).sum() - weights.get(excluded);
    for (int i = 0; i < counts.length; i++) {
      if (i != excluded) {
        BinomialBounds.assertWithinFiveSigma(
            "endpoint " + i + " of " + weights + " without " + excluded,
            counts[i],
            trials,
            weights.get(i) / others);
      }
    }
  }
}
