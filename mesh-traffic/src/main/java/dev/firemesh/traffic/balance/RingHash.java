package dev.firemesh.traffic.balance;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Consistent hashing (Karger's ring, as in Envoy's ring hash): each endpoint owns {@value
 * #POINTS_PER_WEIGHT} points per unit of weight on a 64-bit ring, at the XXH64 hashes of {@code
 * host:port_i}; a request goes to the owner of the first point at or after the XXH64 hash of its
 * key, wrapping around. The same key always reaches the same endpoint, whatever the order the
 * endpoints were listed in, and removing an endpoint moves only the keys it owned. A request
 * without a key is sent to a random endpoint, in proportion to weight.
 *
 * <p>A ring larger than {@value #MAX_POINTS} points is scaled down (each endpoint keeping at least
 * one point); past that size, adding or removing an endpoint may rescale the others' points too.
 */
final class RingHash implements Balancer {
  static final int POINTS_PER_WEIGHT = 100;
  static final int MAX_POINTS = 1 << 18;

  private final UpstreamEndpoint[] endpoints;
  private final WeightTable weights;

  /** Point hashes in ascending (signed) order; the ring wraps from the last to the first. */
  private final long[] points;

  /** {@code owners[i]} is the index of the endpoint owning {@code points[i]}. */
  private final int[] owners;

  RingHash(List<UpstreamEndpoint> endpoints) {
    this.endpoints = endpoints.toArray(UpstreamEndpoint[]::new);
    this.weights = new WeightTable(endpoints);
    long totalPoints = 0;
    for (UpstreamEndpoint endpoint : endpoints) {
      totalPoints += (long) endpoint.weight() * POINTS_PER_WEIGHT;
    }
    double scale = Math.min(1.0, (double) MAX_POINTS / totalPoints);
    record Point(long hash, String owner, int index) {}
    List<Point> ring = new ArrayList<>();
    for (int index = 0; index < this.endpoints.length; index++) {
      String hostPort = this.endpoints[index].endpoint().hostPort();
      long count =
          Math.max(1, (long) (this.endpoints[index].weight() * (long) POINTS_PER_WEIGHT * scale));
      for (long i = 0; i < count; i++) {
        ring.add(new Point(XxHash64.hash(hostPort + "_" + i), hostPort, index));
      }
    }
    // Break (astronomically unlikely) hash ties by address so the ring is independent of order.
    ring.sort(Comparator.comparingLong(Point::hash).thenComparing(Point::owner));
    points = new long[ring.size()];
    owners = new int[ring.size()];
    for (int i = 0; i < points.length; i++) {
      points[i] = ring.get(i).hash();
      owners[i] = ring.get(i).index();
    }
  }

  @Override
  public Optional<UpstreamEndpoint> pick(PickContext context) {
    if (!context.hasHashKey()) {
      return Optional.of(endpoints[weights.draw(context.random())]);
    }
    return Optional.of(endpoints[owners[pointAtOrAfter(XxHash64.hash(context.hashKey()))]]);
  }

  int size() {
    return points.length;
  }

  private int pointAtOrAfter(long hash) {
    int index = Arrays.binarySearch(points, hash);
    if (index < 0) {
      index = -index - 1;
    }
    return index == points.length ? 0 : index;
  }
}
