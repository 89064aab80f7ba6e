package dev.firemesh.traffic.config;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything a data plane needs to route a call: the virtual services by name (the logical name a
 * caller uses, such as {@code orders}) and the clusters their routes point at.
 *
 * @param version the xDS versions this snapshot was built from, for logs and {@code config_dump}
 */
public record DataPlaneConfig(
    String version, Map<String, VirtualService> services, Map<String, ClusterConfig> clusters) {

  public static final DataPlaneConfig EMPTY = new DataPlaneConfig("", Map.of(), Map.of());

  public DataPlaneConfig {
    Objects.requireNonNull(version, "version");
    services = Map.copyOf(services);
    clusters = Map.copyOf(clusters);
  }

  public Optional<VirtualService> service(String name) {
    return Optional.ofNullable(services.get(name));
  }

  public Optional<ClusterConfig> cluster(String name) {
    return Optional.ofNullable(clusters.get(name));
  }
}
