package dev.firemesh.traffic.config;

import java.util.Objects;

/** Answer with {@code status} and {@code body} (plain text, possibly empty) without forwarding. */
public record DirectResponse(int status, String body) implements RouteEntry.Action {
  public DirectResponse {
    Objects.requireNonNull(body, "body");
  }
}
