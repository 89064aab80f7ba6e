package dev.firemesh.traffic.health;

import java.util.Locale;

/** Why outlier detection ejected an endpoint. */
public enum EjectionReason {
  /** {@code consecutive5xx} 5xx answers or failures in a row. */
  CONSECUTIVE_5XX,
  /** {@code consecutiveGatewayErrors} 502, 503, 504 or failures in a row. */
  CONSECUTIVE_GATEWAY_ERRORS,
  /** A success rate far enough below the cluster's mean over one interval. */
  SUCCESS_RATE;

  /** The name used in metric labels and reports: {@code consecutive_5xx}. */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  int bit() {
    return 1 << ordinal();
  }
}
