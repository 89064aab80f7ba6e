package dev.firemesh.proxy.forward;

import java.util.Optional;

/**
 * Where to send a request instead when the connect to its target was refused, or when a retry is
 * due. A refused connect reached no application, so sending the request elsewhere is safe whatever
 * its method: this is how an instance that has just left (its sidecar no longer accepts) costs
 * callers no failed request while their configuration catches up.
 */
@FunctionalInterface
public interface Reroute {
  /** No other target: the refusal is the answer (503). */
  Reroute NONE = refused -> Optional.empty();

  /**
   * Another target, with its own lease, or empty when there is none left to try. Called on the
   * exchange's event loop, at most a few times per request.
   */
  Optional<Target> after(Target refused);

  /**
   * Where a retry of a request that failed at {@code failed} goes: preferably an endpoint not tried
   * yet, with its own lease; empty when none may be had (the cluster's circuit breaker is full, or
   * there is no endpoint). Called after {@code failed}'s lease was closed.
   */
  default Optional<Target> retry(Target failed) {
    return Optional.empty();
  }
}
