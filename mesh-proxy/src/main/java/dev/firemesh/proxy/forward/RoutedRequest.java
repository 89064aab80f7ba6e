package dev.firemesh.proxy.forward;

import dev.firemesh.proxy.http.RequestHead;
import java.util.Objects;

/**
 * A request head with its target, travelling to the {@link ExchangeHandler}.
 *
 * @param reroute where to go instead if the connect to {@code target} is refused
 */
public record RoutedRequest(RequestHead head, Target target, Reroute reroute) {
  public RoutedRequest {
    Objects.requireNonNull(head, "head");
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(reroute, "reroute");
  }

  /** A request with nowhere else to go. */
  public RoutedRequest(RequestHead head, Target target) {
    this(head, target, Reroute.NONE);
  }
}
