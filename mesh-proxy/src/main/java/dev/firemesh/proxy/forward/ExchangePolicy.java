package dev.firemesh.proxy.forward;

import dev.firemesh.traffic.retry.RetryRule;
import java.util.Objects;

/**
 * What a forwarded exchange enforces besides where it goes.
 *
 * @param deadlineNanos the {@link System#nanoTime()} at which the caller's time is up (the route's
 *     timeout or the caller's own deadline, whichever comes first); {@link Long#MAX_VALUE}: none.
 *     Tries are stamped with the time left, so the next hop enforces it too.
 * @param retry the route's retry rule
 * @param retryPermitted whether this request may be sent more than once (its method is idempotent,
 *     or the route lets an {@code Idempotency-Key} vouch for it)
 * @param faultDelayNanos an injected delay before the request goes upstream; 0: none
 * @param grpc the request is gRPC: its {@code grpc-timeout} is stamped too, and a deadline that
 *     passes answers DEADLINE_EXCEEDED
 */
public record ExchangePolicy(
    long deadlineNanos,
    RetryRule retry,
    boolean retryPermitted,
    long faultDelayNanos,
    boolean grpc) {
  public static final ExchangePolicy NONE =
      new ExchangePolicy(Long.MAX_VALUE, RetryRule.NONE, false, 0, false);

  public ExchangePolicy {
    Objects.requireNonNull(retry, "retry");
  }

  public boolean hasDeadline() {
    return deadlineNanos != Long.MAX_VALUE;
  }
}
