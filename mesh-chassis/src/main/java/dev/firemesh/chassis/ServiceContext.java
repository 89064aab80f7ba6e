package dev.firemesh.chassis;

import dev.firemesh.chassis.config.ServiceConfig;
import dev.firemesh.chassis.health.Health;
import dev.firemesh.chassis.telemetry.ServiceTelemetry;
import java.util.Optional;

/**
 * What a service's code is given once the chassis has its identity, configuration and feeds, and
 * before it serves: route factories ({@link Chassis.Builder#routes(java.util.function.Function)})
 * build their handlers from it, so business code holds a typed configuration handle rather than the
 * chassis.
 */
public final class ServiceContext {
  private final ChassisSettings settings;
  private final Optional<ServiceConfig<?>> config;
  private final ServiceTelemetry telemetry;
  private final Health health;

  ServiceContext(
      ChassisSettings settings,
      Optional<ServiceConfig<?>> config,
      ServiceTelemetry telemetry,
      Health health) {
    this.settings = settings;
    this.config = config;
    this.telemetry = telemetry;
    this.health = health;
  }

  public String service() {
    return settings.service();
  }

  public String environment() {
    return settings.environment();
  }

  public String instanceId() {
    return settings.instanceId();
  }

  /**
   * The service's live configuration, as declared with {@link Chassis.Builder#config}.
   *
   * @throws IllegalStateException if none was declared, or of another type
   */
  @SuppressWarnings("unchecked")
  public <T extends Record> ServiceConfig<T> config(Class<T> type) {
    ServiceConfig<?> declared =
        config.orElseThrow(
            () -> new IllegalStateException("no configuration declared: call config(...)"));
    Class<?> actual = declared.current().value().getClass();
    if (!actual.equals(type)) {
      throw new IllegalStateException(
          "the configuration is a " + actual.getName() + ", not a " + type.getName());
    }
    return (ServiceConfig<T>) declared;
  }

  /** Metrics and tracing; a service registers its own meters in {@code telemetry().registry()}. */
  public ServiceTelemetry telemetry() {
    return telemetry;
  }

  /** Liveness and readiness; a service adds checks of its own components here. */
  public Health health() {
    return health;
  }
}
