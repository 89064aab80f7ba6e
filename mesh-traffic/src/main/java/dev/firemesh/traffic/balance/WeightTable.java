package dev.firemesh.traffic.balance;

import java.util.List;
import java.util.random.RandomGenerator;

/** Draws endpoint indexes at random in proportion to their weights, in O(log n) and no garbage. */
final class WeightTable {
  /** {@code cumulative[i]} is the sum of the weights of endpoints 0 to i. */
  private final long[] cumulative;

  private final boolean uniform;

  WeightTable(List<UpstreamEndpoint> endpoints) {
    cumulative = new long[endpoints.size()];
    long sum = 0;
    boolean same = true;
    for (int i = 0; i < cumulative.length; i++) {
      int weight = endpoints.get(i).weight();
      same &= weight == endpoints.get(0).weight();
      sum += weight;
      cumulative[i] = sum;
    }
    uniform = same;
  }

  int size() {
    return cumulative.length;
  }

  /** One index, endpoint {@code i} drawn with probability {@code weight(i) / total}. */
  int draw(RandomGenerator random) {
    if (uniform) {
      return random.nextInt(cumulative.length);
    }
    return indexOf(random.nextLong(cumulative[cumulative.length - 1]));
  }

  /**
   * One index other than {@code excluded}, drawn in proportion to weight among the others. Needs at
   * least two endpoints.
   */
  int drawOther(RandomGenerator random, int excluded) {
    if (uniform) {
      int index = random.nextInt(cumulative.length - 1);
      return index >= excluded ? index + 1 : index;
    }
    long weight = weight(excluded);
    long start = cumulative[excluded] - weight;
    // Draw over the total without the excluded span, then step over the span.
    long ticket = random.nextLong(cumulative[cumulative.length - 1] - weight);
    return indexOf(ticket >= start ? ticket + weight : ticket);
  }

  private long weight(int index) {
    return index == 0 ? cumulative[0] : cumulative[index] - cumulative[index - 1];
  }

  /** The first index whose cumulative weight exceeds {@code ticket}. */
  private int indexOf(long ticket) {
    int low = 0;
    int high = cumulative.length - 1;
    while (low < high) {
      int middle = (low + high) >>> 1;
      if (cumulative[middle] > ticket) {
        high = middle;
      } else {
        low = middle + 1;
      }
    }
    return low;
  }
}
