package dev.firemesh.chassis;

import java.time.Duration;

/** The builder's options once defaults are filled in. */
record ChassisSettings(
    String service,
    String environment,
    String instanceId,
    String region,
    String zone,
    int port,
    Duration drainDelay,
    Duration stopGrace) {}
