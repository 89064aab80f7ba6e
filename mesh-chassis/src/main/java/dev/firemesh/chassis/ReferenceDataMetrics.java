package dev.firemesh.chassis;

import dev.firemesh.chassis.health.HealthCheck;
import dev.firemesh.chassis.refdata.owner.ReferenceDataOwner;
import dev.firemesh.chassis.refdata.replica.ReferenceDataReplica;
import dev.firemesh.chassis.refdata.replica.ReplicaState;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Reference data's metrics ({@code firemesh_chassis_refdata_*}) and health. A replica's lag is the
 * figure to alert on: how far, in time, its view is behind the owner's last commit.
 */
final class ReferenceDataMetrics {
  private ReferenceDataMetrics() {}

  static void bind(ReferenceDataReplica replica, String owner, MeterRegistry registry) {
    Gauge.builder("firemesh.chassis.refdata.version", replica, ReferenceDataReplica::version)
        .description("The owner's version this replica's view is at.")
        .tag("owner", owner)
        .register(registry);
    Gauge.builder("firemesh.chassis.refdata.owner.head", replica, ReferenceDataReplica::ownerHead)
        .description("The owner's newest version, as last heard.")
        .tag("owner", owner)
        .register(registry);
    Gauge.builder("firemesh.chassis.refdata.lag", replica, r -> r.lagMillis() / 1000.0)
        .description(
            "How far behind the owner the view is: 0 at the head, else the age of the oldest"
                + " change not applied (or of the last contact, with the feed lost).")
        .baseUnit("seconds")
        .tag("owner", owner)
        .register(registry);
    Gauge.builder("firemesh.chassis.refdata.connected", replica, r -> r.connected() ? 1 : 0)
        .description("1 while the replica's feed answers.")
        .tag("owner", owner)
        .register(registry);
    FunctionCounter.builder(
            "firemesh.chassis.refdata.versions.applied",
            replica,
            ReferenceDataReplica::versionsApplied)
        .description("Owner versions applied to the view, in order.")
        .tag("owner", owner)
        .register(registry);
    FunctionCounter.builder(
            "firemesh.chassis.refdata.reloads", replica, ReferenceDataReplica::reloads)
        .description("Full snapshot reloads after the first (the log no longer had the gap).")
        .tag("owner", owner)
        .register(registry);
  }

  static void bind(ReferenceDataOwner owner, MeterRegistry registry) {
    Gauge.builder("firemesh.chassis.refdata.owned.version", owner, ReferenceDataOwner::version)
        .description("The newest version this owner has committed.")
        .register(registry);
    FunctionCounter.builder(
            "firemesh.chassis.refdata.commands", owner, ReferenceDataOwner::commandsApplied)
        .description("Commands applied (a new version each).")
        .tag("outcome", "applied")
        .register(registry);
    FunctionCounter.builder(
            "firemesh.chassis.refdata.commands", owner, ReferenceDataOwner::commandsRepeated)
        .description("Commands whose id was seen before: answered with their version, not applied.")
        .tag("outcome", "repeated")
        .register(registry);
    FunctionCounter.builder(
            "firemesh.chassis.refdata.commands", owner, ReferenceDataOwner::commandsRefused)
        .description("Commands refused as invalid: nothing written.")
        .tag("outcome", "refused")
        .register(registry);
  }

  static HealthCheck health(ReferenceDataReplica replica) {
    return () ->
        switch (replica.state()) {
          case ReplicaState.Live live -> HealthCheck.Status.UP;
          case ReplicaState.Loading loading ->
              HealthCheck.Status.down("loading the first snapshot");
          case ReplicaState.Degraded degraded ->
              HealthCheck.Status.degraded(
                  degraded.reason()
                      + " since "
                      + degraded.since()
                      + "; serving version "
                      + replica.version()
                      + ", "
                      + replica.lagMillis()
                      + " ms behind");
        };
  }
}
