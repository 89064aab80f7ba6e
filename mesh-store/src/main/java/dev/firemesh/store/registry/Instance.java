package dev.firemesh.store.registry;

import java.time.Instant;
import java.util.Map;

/**
 * A registered instance as the registry holds it.
 *
 * @param registeredAt when it last registered (renewals leave this alone)
 * @param expiresAt when its lease lapses unless renewed, by the database clock
 */
public record Instance(
    String service,
    String instanceId,
    String address,
    int port,
    Map<String, String> labels,
    Instant registeredAt,
    Instant expiresAt) {

  public Instance {
    labels = Map.copyOf(labels);
  }
}
