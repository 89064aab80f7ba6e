package dev.firemesh.chassis.health;

/**
 * One component's view of its own health, asked on every readiness probe: cheap and non-blocking
 * (read a volatile, compare a time).
 */
@FunctionalInterface
public interface HealthCheck {
  Status check();

  /** A state and, unless {@code UP}, why. */
  record Status(HealthState state, String detail) {
    public static final Status UP = new Status(HealthState.UP, "");

    public static Status degraded(String why) {
      return new Status(HealthState.DEGRADED, why);
    }

    public static Status down(String why) {
      return new Status(HealthState.DOWN, why);
    }
  }
}
