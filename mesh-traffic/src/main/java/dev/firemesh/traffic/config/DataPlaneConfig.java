package dev.firemesh.traffic.config;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Everything a data plane needs to route a call: the virtual services by name (the logical name a
 * caller uses, such as {@code orders}) and the clusters their routes point at.
 *
 * @param version the xDS versions this snapshot was built from, for logs and {@code config_dump}
 * @param ports each service's declared ports by service name, where the configuration says
 * @param inbound what each service's own sidecars enforce on the calls they receive, by service
 *     name; a service without an entry enforces nothing
 */
public record DataPlaneConfig(
    String version,
    Map<String, VirtualService> services,
    Map<String, ClusterConfig> clusters,
    Map<String, List<ServicePort>> ports,
    Map<String, InboundPolicy> inbound) {

  public static final DataPlaneConfig EMPTY = new DataPlaneConfig("", Map.of(), Map.of());

  public DataPlaneConfig {
    Objects.requireNonNull(version, "version");
    services = Map.copyOf(services);
    clusters = Map.copyOf(clusters);
    ports =
        ports.entrySet().stream()
            .collect(
                Collectors.toUnmodifiableMap(Map.Entry::getKey, e -> List.copyOf(e.getValue())));
    inbound = Map.copyOf(inbound);
  }

  /** A configuration that declares no inbound policy. */
  public DataPlaneConfig(
      String version,
      Map<String, VirtualService> services,
      Map<String, ClusterConfig> clusters,
      Map<String, List<ServicePort>> ports) {
    this(version, services, clusters, ports, Map.of());
  }

  /** A configuration that declares no service ports. */
  public DataPlaneConfig(
      String version, Map<String, VirtualService> services, Map<String, ClusterConfig> clusters) {
    this(version, services, clusters, Map.of());
  }

  /** The port named {@code portName} of {@code service}, if the configuration declares it. */
  public Optional<ServicePort> port(String service, String portName) {
    return ports(service).stream().filter(p -> p.name().equals(portName)).findFirst();
  }

  /** The ports {@code service} declares; empty if none or unknown. */
  public List<ServicePort> ports(String service) {
    return ports.getOrDefault(service, List.of());
  }

  /** What {@code service}'s own sidecars enforce on calls they receive; NONE if nothing. */
  public InboundPolicy inbound(String service) {
    return inbound.getOrDefault(service, InboundPolicy.NONE);
  }

  public Optional<VirtualService> service(String name) {
    return Optional.ofNullable(services.get(name));
  }

  public Optional<ClusterConfig> cluster(String name) {
    return Optional.ofNullable(clusters.get(name));
  }
}
