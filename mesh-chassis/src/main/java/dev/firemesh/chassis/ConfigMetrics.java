package dev.firemesh.chassis;

import dev.firemesh.chassis.config.ConfigFeed;
import dev.firemesh.chassis.config.ConfigOrigin;
import dev.firemesh.chassis.health.HealthCheck;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The configuration's metrics ({@code firemesh_chassis_config_*}) and health: down to {@code
 * DEGRADED} while the service runs on a cached copy or has lost its feed.
 */
final class ConfigMetrics {
  private ConfigMetrics() {}

  static void bind(ConfigFeed<?> feed, MeterRegistry registry) {
    Gauge.builder("firemesh.chassis.config.revision", feed, ConfigFeed::revision)
        .description("The control plane revision of the configuration in force.")
        .register(registry);
    Gauge.builder("firemesh.chassis.config.connected", feed, f -> f.connected() ? 1 : 0)
        .description("1 while the configuration feed (RTDS) is connected.")
        .register(registry);
    Gauge.builder(
            "firemesh.chassis.config.cached", feed, f -> f.origin() == ConfigOrigin.CACHE ? 1 : 0)
        .description("1 while the configuration in force came from the cache, not the feed.")
        .register(registry);
    FunctionCounter.builder("firemesh.chassis.config.applied", feed, ConfigFeed::appliedCount)
        .description("Configuration documents bound and put in force.")
        .register(registry);
    FunctionCounter.builder("firemesh.chassis.config.rejected", feed, ConfigFeed::nackCount)
        .description("Configuration documents refused (NACKed); the value in force stayed.")
        .register(registry);
  }

  static HealthCheck health(ConfigFeed<?> feed) {
    return () -> {
      if (feed.origin() == ConfigOrigin.CACHE) {
        return HealthCheck.Status.degraded(
            "running on the cached configuration, revision " + feed.revision());
      }
      if (!feed.connected()) {
        return HealthCheck.Status.degraded(
            "configuration feed lost; revision " + feed.revision() + " stays in force");
      }
      return HealthCheck.Status.UP;
    };
  }
}
