package dev.firemesh.proxy.forward;

import dev.firemesh.proxy.http.RequestHead;
import java.util.Objects;

/**
 * A request head with its target, travelling to the {@link ExchangeHandler}.
 *
 * @param reroute where to go instead if the connect to {@code target} is refused, or for a retry
 * @param policy the deadline, retries and injected delay the exchange enforces
 */
public record RoutedRequest(
    RequestHead head, Target target, Reroute reroute, ExchangePolicy policy) {
  public RoutedRequest {
    Objects.requireNonNull(head, "head");
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(reroute, "reroute");
    Objects.requireNonNull(policy, "policy");
  }

  /** A request without deadline or retries. */
  public RoutedRequest(RequestHead head, Target target, Reroute reroute) {
    this(head, target, reroute, ExchangePolicy.NONE);
  }

  /** A request with nowhere else to go. */
  public RoutedRequest(RequestHead head, Target target) {
    this(head, target, Reroute.NONE);
  }
}
