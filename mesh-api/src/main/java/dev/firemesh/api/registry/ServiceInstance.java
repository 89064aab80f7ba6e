package dev.firemesh.api.registry;

import java.util.Map;
import java.util.Objects;

/**
 * A registered instance of a service: where it listens and its labels. The well-known labels {@code
 * version}, {@code region} and {@code zone} select subsets and give the instance's locality.
 */
public record ServiceInstance(
    String service, String instanceId, String address, int port, Map<String, String> labels) {

  public static final String VERSION = "version";
  public static final String REGION = "region";
  public static final String ZONE = "zone";

  public ServiceInstance {
    Objects.requireNonNull(service, "service");
    Objects.requireNonNull(instanceId, "instanceId");
    Objects.requireNonNull(address, "address");
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port out of range 1-65535: " + port);
    }
    labels = Map.copyOf(labels);
  }

  public String label(String name) {
    return labels.getOrDefault(name, "");
  }
}
