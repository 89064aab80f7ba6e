package dev.firemesh.examples.trading.plumbing;

import dev.firemesh.chassis.Chassis;
import java.io.IOException;

/**
 * For a service on the chassis: once it has started (enrolled, configured, registered, serving),
 * the launcher's ready file, as {@link Lifecycle} writes it for the others.
 */
public final class ChassisReady {
  private ChassisReady() {}

  /** Writes {@code --ready-file}, if given, with the service's HTTP port. */
  public static void announce(Arguments args, Chassis chassis) throws IOException {
    if (args.optional("ready-file").isPresent()) {
      ReadyFile.write(
          args.path("ready-file").orElseThrow(),
          Json.object()
              .put("service", chassis.service())
              .put("instance", chassis.instanceId())
              .put("port", chassis.address().getPort()));
    }
  }
}
