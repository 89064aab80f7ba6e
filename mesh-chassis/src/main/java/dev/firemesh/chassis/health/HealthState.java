package dev.firemesh.chassis.health;

/** A component's state, worst last: a service is as healthy as its worst component. */
public enum HealthState {
  /** Working as it should. */
  UP,
  /** Serving, but on something stale or partial (a cached config, a lagging replica). */
  DEGRADED,
  /** Cannot serve: readiness fails while any component is down. */
  DOWN;

  public HealthState worse(HealthState other) {
    return compareTo(other) >= 0 ? this : other;
  }
}
