package dev.firemesh.traffic.balance;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Consistent hashing by Maglev (Eskildsen et al., "Maglev: A Fast and Reliable Software Network
 * Load Balancer", NSDI 2016), weighted as Envoy's Maglev balancer does. A lookup table of prime
 * size {@code M} is filled in turns: each endpoint walks its own permutation of the slots, {@code
 * (offset + skip * j) mod M} with {@code offset} and {@code skip} taken from two XXH64 hashes of
 * its {@code host:port}, and claims the first slot still free. In turn {@code t} an endpoint of
 * weight {@code w} takes a slot when {@code t * w} has reached its target, which then grows by the
 * largest weight: the heaviest endpoint takes a slot every turn, one of a third of its weight every
 * third turn, so each ends with a share of slots proportional to its weight (within a slot or so
 * per turn). A request goes to the owner of slot {@code XXH64(key) mod M}; a request without a key
 * to a random endpoint, in proportion to weight.
 *
 * <p>Compared with {@link RingHash}: a pick is one array read instead of a binary search, and the
 * shares are far more even (a table of 65537 slots against a ring of 100 points per weight unit),
 * at the price of a little more movement when endpoints change: removing one of {@code N} moves its
 * own keys and, as the turns reshuffle, a small share of the others' (about 1 % of all keys with
 * the default size and tens of endpoints). The table is built from the endpoints sorted by address,
 * so it is the same whatever order they arrive in, and in every router that has the same endpoints.
 */
final class Maglev implements Balancer {
  private final UpstreamEndpoint[] endpoints;
  private final WeightTable weights;

  /** {@code table[slot]} is the index in {@link #endpoints} of the slot's owner. */
  private final int[] table;

  Maglev(List<UpstreamEndpoint> unordered, int tableSize) {
    if (tableSize < 2) {
      throw new IllegalArgumentException("Maglev table size must be a prime: " + tableSize);
    }
    // Ties (an address listed twice) are broken by weight; entries equal in both are the same.
    this.endpoints =
        unordered.stream()
            .sorted(
                Comparator.comparing((UpstreamEndpoint u) -> u.endpoint().hostPort())
                    .thenComparingInt(UpstreamEndpoint::weight))
            .toArray(UpstreamEndpoint[]::new);
    this.weights = new WeightTable(List.of(endpoints));
    this.table = populate(endpoints, tableSize);
  }

  @Override
  public Optional<UpstreamEndpoint> pick(PickContext context) {
    if (!context.hasHashKey()) {
      return Optional.of(endpoints[weights.draw(context.random())]);
    }
    long hash = XxHash64.hash(context.hashKey());
    return Optional.of(endpoints[table[(int) Long.remainderUnsigned(hash, table.length)]]);
  }

  /** How many slots of the table {@code upstream} owns (by identity), for tests. */
  int slotsOf(UpstreamEndpoint upstream) {
    int slots = 0;
    for (int owner : table) {
      if (endpoints[owner] == upstream) {
        slots++;
      }
    }
    return slots;
  }

  int size() {
    return table.length;
  }

  private static int[] populate(UpstreamEndpoint[] endpoints, int size) {
    int count = endpoints.length;
    long[] offset = new long[count];
    long[] skip = new long[count];
    long[] next = new long[count];
    long[] target = new long[count];
    long maxWeight = 0;
    for (int i = 0; i < count; i++) {
      byte[] key = endpoints[i].endpoint().hostPort().getBytes(StandardCharsets.UTF_8);
      offset[i] = Long.remainderUnsigned(XxHash64.hash(key, 0), size);
      // A prime size makes every skip in 1..size-1 coprime with it: each walk visits every slot.
      skip[i] = Long.remainderUnsigned(XxHash64.hash(key, 1), size - 1) + 1;
      maxWeight = Math.max(maxWeight, endpoints[i].weight());
    }
    int[] table = new int[size];
    Arrays.fill(table, -1);
    int filled = 0;
    for (long turn = 1; filled < size; turn++) {
      for (int i = 0; i < count && filled < size; i++) {
        if (turn * endpoints[i].weight() < target[i]) {
          continue;
        }
        target[i] += maxWeight;
        int slot;
        do {
          slot = (int) ((offset[i] + skip[i] * next[i]) % size);
          next[i]++;
        } while (table[slot] >= 0);
        table[slot] = i;
        filled++;
      }
    }
    return table;
  }
}
