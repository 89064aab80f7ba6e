package dev.firemesh.traffic.balance;

import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * What a balancer may use to pick for one request: a source of randomness and, for hashing
 * balancers, the request's hash key ({@code ""}: the request has none).
 */
public record PickContext(RandomGenerator random, String hashKey) {
  public PickContext {
    Objects.requireNonNull(random, "random");
    Objects.requireNonNull(hashKey, "hashKey");
  }

  /** A context without a hash key. */
  public static PickContext of(RandomGenerator random) {
    return new PickContext(random, "");
  }

  public boolean hasHashKey() {
    return !hashKey.isEmpty();
  }
}
