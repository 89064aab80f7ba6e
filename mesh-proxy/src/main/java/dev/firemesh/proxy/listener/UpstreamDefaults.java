package dev.firemesh.proxy.listener;

import java.time.Duration;

/**
 * Connection rules used where the configuration gives none: a cluster's zero timeouts, and the
 * inbound listener's connections to the local application.
 */
public record UpstreamDefaults(Duration connectTimeout, Duration idleTimeout) {
  public UpstreamDefaults {
    if (connectTimeout.isNegative() || connectTimeout.isZero()) {
      throw new IllegalArgumentException("connectTimeout must be positive: " + connectTimeout);
    }
    if (idleTimeout.isNegative() || idleTimeout.isZero()) {
      throw new IllegalArgumentException("idleTimeout must be positive: " + idleTimeout);
    }
  }

  Duration connectTimeout(Duration configured) {
    return configured.isZero() || configured.isNegative() ? connectTimeout : configured;
  }

  Duration idleTimeout(Duration configured) {
    return configured.isZero() || configured.isNegative() ? idleTimeout : configured;
  }
}
