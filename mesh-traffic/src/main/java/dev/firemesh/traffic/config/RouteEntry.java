package dev.firemesh.traffic.config;

import java.util.Objects;
import java.util.Optional;

/** One route: when {@code match} accepts a request, {@code action} says what to do with it. */
public record RouteEntry(String name, RequestMatch match, Action action) {

  public RouteEntry {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(match, "match");
    Objects.requireNonNull(action, "action");
  }

  /**
   * What a route does: forward the request ({@link RouteAction}), or answer it without forwarding
   * ({@link Redirect}, {@link DirectResponse}).
   */
  public sealed interface Action permits RouteAction, Redirect, DirectResponse {}

  /** The forwarding action, if this route forwards. */
  public Optional<RouteAction> forward() {
    return action instanceof RouteAction forward ? Optional.of(forward) : Optional.empty();
  }
}
