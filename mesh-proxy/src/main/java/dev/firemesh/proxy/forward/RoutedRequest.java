package dev.firemesh.proxy.forward;

import dev.firemesh.proxy.http.RequestHead;
import dev.firemesh.proxy.telemetry.RouteLabels;
import java.util.Objects;

/**
 * A request head with its target, travelling to the {@link ExchangeHandler}.
 *
 * @param reroute where to go instead if the connect to {@code target} is refused, or for a retry
 * @param policy the deadline, retries and injected delay the exchange enforces
 * @param labels the destination service and route, for telemetry ({@link RouteLabels#NONE} where
 *     the listener knows them itself, as the inbound one does)
 */
public record RoutedRequest(
    RequestHead head, Target target, Reroute reroute, ExchangePolicy policy, RouteLabels labels) {
  public RoutedRequest {
    Objects.requireNonNull(head, "head");
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(reroute, "reroute");
    Objects.requireNonNull(policy, "policy");
    Objects.requireNonNull(labels, "labels");
  }

  /** A request whose listener knows its labels itself. */
  public RoutedRequest(RequestHead head, Target target, Reroute reroute, ExchangePolicy policy) {
    this(head, target, reroute, policy, RouteLabels.NONE);
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
