package dev.firemesh.traffic.balance;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * nginx's smooth weighted round robin: over a cycle of {@code W} picks (the sum of the weights)
 * each endpoint is picked exactly its weight's number of times, and picks of a heavy endpoint are
 * interleaved with the others rather than bunched ({@code 5,1,1} gives {@code a a b a c a a}).
 *
 * <p>The algorithm is stateful and sequential, so the cycle is computed once, when the balancer is
 * built, and picks walk it with one atomic counter: lock-free, deterministic, the same sequence
 * whichever event loop asks. Weights are first divided by their greatest common divisor; a cycle
 * longer than {@value #MAX_CYCLE} picks is scaled down to about that length (each endpoint keeping
 * at least one pick), which keeps proportions to within one pick per endpoint per cycle.
 */
final class RoundRobin implements Balancer {
  static final int MAX_CYCLE = 1 << 16;

  private final UpstreamEndpoint[] cycle;
  private final AtomicLong position = new AtomicLong();

  RoundRobin(List<UpstreamEndpoint> endpoints) {
    cycle = cycle(endpoints);
  }

  @Override
  public Optional<UpstreamEndpoint> pick(PickContext context) {
    return Optional.of(cycle[(int) (position.getAndIncrement() % cycle.length)]);
  }

  /** One full cycle of smooth weighted round robin picks. */
  static UpstreamEndpoint[] cycle(List<UpstreamEndpoint> endpoints) {
    int[] weights = cycleWeights(endpoints);
    int total = 0;
    for (int weight : weights) {
      total += weight;
    }
    if (total == weights.length) {
      return endpoints.toArray(UpstreamEndpoint[]::new);
    }
    UpstreamEndpoint[] cycle = new UpstreamEndpoint[total];
    long[] current = new long[weights.length];
    for (int step = 0; step < total; step++) {
      int best = 0;
      for (int i = 0; i < weights.length; i++) {
        current[i] += weights[i];
        if (current[i] > current[best]) {
          best = i;
        }
      }
      current[best] -= total;
      cycle[step] = endpoints.get(best);
    }
    return cycle;
  }

  private static int[] cycleWeights(List<UpstreamEndpoint> endpoints) {
    int[] weights = new int[endpoints.size()];
    int divisor = 0;
    long total = 0;
    for (int i = 0; i < weights.length; i++) {
      weights[i] = endpoints.get(i).weight();
      divisor = gcd(divisor, weights[i]);
      total += weights[i];
    }
    total /= divisor;
    for (int i = 0; i < weights.length; i++) {
      weights[i] /= divisor;
      if (total > MAX_CYCLE) {
        weights[i] = (int) Math.max(1, weights[i] * (long) MAX_CYCLE / total);
      }
    }
    return weights;
  }

  private static int gcd(int a, int b) {
    while (b != 0) {
      int rest = a % b;
      a = b;
      b = rest;
    }
    return a;
  }
}
