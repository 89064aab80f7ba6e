package dev.firemesh.store.registry;

import java.util.Map;

/**
 * What an instance announces about itself.
 *
 * @param address host name or IP address where it serves
 * @param labels version, region, zone and the like
 */
public record Registration(
    String service, String instanceId, String address, int port, Map<String, String> labels) {

  public Registration {
    requireText(service, "service");
    requireText(instanceId, "instanceId");
    requireText(address, "address");
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port must be in 1..65535, got " + port);
    }
    labels = Map.copyOf(labels);
  }

  private static void requireText(String value, String what) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException("registration " + what + " must not be blank");
    }
  }
}
