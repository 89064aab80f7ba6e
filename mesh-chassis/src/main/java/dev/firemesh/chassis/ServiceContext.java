package dev.firemesh.chassis;

import dev.firemesh.chassis.client.MeshClient;
import dev.firemesh.chassis.config.ServiceConfig;
import dev.firemesh.chassis.cqrs.CommandProcessor;
import dev.firemesh.chassis.cqrs.Commands;
import dev.firemesh.chassis.events.EventStore;
import dev.firemesh.chassis.events.subscription.Subscriptions;
import dev.firemesh.chassis.health.Health;
import dev.firemesh.chassis.refdata.owner.ReferenceDataOwner;
import dev.firemesh.chassis.refdata.replica.ReferenceDataReplica;
import dev.firemesh.chassis.schedule.Scheduler;
import dev.firemesh.chassis.telemetry.ServiceTelemetry;
import dev.firemesh.store.Database;
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
  private final EventSourcing eventSourcing;
  private volatile Subscriptions subscriptions;
  private volatile Scheduler scheduler;

  /** The service's store and what runs on it, each present when the builder asked for it. */
  record EventSourcing(
      Optional<Database> store,
      Optional<EventStore> events,
      Optional<CommandProcessor> processor,
      Optional<Commands> commands) {}

  ServiceContext(
      ChassisSettings settings,
      Optional<ServiceConfig<?>> config,
      ServiceTelemetry telemetry,
      Health health,
      Optional<ReferenceDataReplica> replica,
      Optional<ReferenceDataOwner> owner,
      MeshClient mesh,
      EventSourcing eventSourcing) {
    this.settings = settings;
    this.config = config;
    this.telemetry = telemetry;
    this.health = health;
    this.replica = replica;
    this.owner = owner;
    this.mesh = mesh;
    this.eventSourcing = eventSourcing;
  }

  void attach(Subscriptions running) {
    this.subscriptions = running;
  }

  void attach(Scheduler running) {
    this.scheduler = running;
  }

  /**
   * The service's PostgreSQL, for read models a projection keeps beside its checkpoint (one
   * transaction) and for the queries that serve them.
   *
   * @throws IllegalStateException if the service has no store
   */
  public Database store() {
    return eventSourcing
        .store()
        .orElseThrow(
            () ->
                new IllegalStateException(
                    "no store: the service keeps no state (call store(...), events(...) or"
                        + " tasks(...))"));
  }

  /**
   * The service's event store.
   *
   * @throws IllegalStateException if none was declared ({@link Chassis.Builder#events})
   */
  public EventStore events() {
    return eventSourcing
        .events()
        .orElseThrow(() -> new IllegalStateException("no event store: call events(...)"));
  }

  /**
   * Decides commands for this service's own aggregates in process, as the command route does.
   *
   * @throws IllegalStateException if the service owns no aggregate
   */
  public CommandProcessor commandProcessor() {
    return eventSourcing
        .processor()
        .orElseThrow(() -> new IllegalStateException("no aggregate: call aggregate(...)"));
  }

  /**
   * Sends commands to the service that owns an aggregate, through the mesh.
   *
   * @throws IllegalStateException if no command types were declared ({@link
   *     Chassis.Builder#commands})
   */
  public Commands commands() {
    return eventSourcing
        .commands()
        .orElseThrow(() -> new IllegalStateException("no command types: call commands(...)"));
  }

  /**
   * The subscriptions this instance runs (rebuild, dead letters, status), once started.
   *
   * @throws IllegalStateException if the service declared none, or they are not started yet
   */
  public Subscriptions subscriptions() {
    Subscriptions running = subscriptions;
    if (running == null) {
      throw new IllegalStateException("no subscriptions running: call subscriptions(...)");
    }
    return running;
  }

  /**
   * The scheduler of this service's tasks, once started.
   *
   * @throws IllegalStateException if the service declared no task, or it is not started yet
   */
  public Scheduler scheduler() {
    Scheduler running = scheduler;
    if (running == null) {
      throw new IllegalStateException("no scheduler running: call tasks(...)");
    }
    return running;
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
