package dev.firemesh.chassis.config;

import java.util.Objects;

/**
 * One reason a configuration could not be bound: where ({@code maxOrderQuantity}, {@code
 * killSwitch.enabled}, {@code allowedVenues[2]}; empty for the whole) and what was wrong.
 */
public record ConfigProblem(String path, String message) {
  public ConfigProblem {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(message, "message");
  }

  @Override
  public String toString() {
    return path.isEmpty() ? message : path + ": " + message;
  }
}
