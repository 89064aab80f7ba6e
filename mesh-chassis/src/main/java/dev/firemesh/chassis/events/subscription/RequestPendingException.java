package dev.firemesh.chassis.events.subscription;

import dev.firemesh.chassis.events.subscription.OperatorRequests.Kind;
import java.time.Duration;

/**
 * An operator request that had not ended when its waiter gave up: no running instance took it (none
 * runs its subscription), or one is still carrying it out.
 */
public final class RequestPendingException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final long id;
  private final String subscription;

  RequestPendingException(long id, Kind kind, String subscription, Duration waited) {
    super(
        "request "
            + id
            + " ("
            + kind.label()
            + " of "
            + subscription
            + ") has not ended after "
            + (waited.toMillisPart() == 0 ? waited.toSeconds() + " s" : waited.toMillis() + " ms")
            + ": no running instance took it (none runs subscription "
            + subscription
            + "), or one is still at it");
    this.id = id;
    this.subscription = subscription;
  }

  /** The request's id. */
  public long id() {
    return id;
  }

  /** The subscription it is for. */
  public String subscription() {
    return subscription;
  }
}
