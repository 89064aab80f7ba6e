package dev.firemesh.chassis;

import dev.firemesh.chassis.client.MeshClient;
import dev.firemesh.chassis.config.ServiceConfig;
import dev.firemesh.chassis.health.Health;
import dev.firemesh.chassis.refdata.owner.ReferenceDataOwner;
import dev.firemesh.chassis.refdata.replica.ReferenceDataReplica;
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
  private final Optional<ReferenceDataReplica> replica;
  private final Optional<ReferenceDataOwner> owner;
  private final MeshClient mesh;

  ServiceContext(
      ChassisSettings settings,
      Optional<ServiceConfig<?>> config,
      ServiceTelemetry telemetry,
      Health health,
      Optional<ReferenceDataReplica> replica,
      Optional<ReferenceDataOwner> owner,
      MeshClient mesh) {
    this.settings = settings;
    this.config = config;
    this.telemetry = telemetry;
    this.health = health;
    this.replica = replica;
    this.owner = owner;
    this.mesh = mesh;
  }

  /**
   * The live, read-only replica of the reference data this service follows ({@link
   * Chassis.Builder#referenceData}): {@code referenceData().view().of(ReferenceSets.INSTRUMENTS)}.
   *
   * @throws IllegalStateException if the service follows none
   */
  public ReferenceDataReplica referenceData() {
    return replica.orElseThrow(
        () -> new IllegalStateException("no reference data followed: call referenceData(...)"));
  }

  /**
   * The reference data this service owns ({@link Chassis.Builder#ownReferenceData}): commands go
   * here.
   *
   * @throws IllegalStateException if the service owns none
   */
  public ReferenceDataOwner referenceDataOwner() {
    return owner.orElseThrow(
        () -> new IllegalStateException("no reference data owned: call ownReferenceData(...)"));
  }

  Optional<ReferenceDataOwner> ownerIfAny() {
    return owner;
  }

  /** Calls to other services by name, through the sidecar (standing alone: as configured). */
  public MeshClient mesh() {
    return mesh;
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
