package dev.firemesh.proxy.forward;

import java.util.Optional;

/**
 * Where to send a request instead when the connect to its target was refused. A refused connect
 * reached no application, so sending the request elsewhere is safe whatever its method: this is how
 * an instance that has just left (its sidecar no longer accepts) costs callers no failed request
 * while their configuration catches up.
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
}
