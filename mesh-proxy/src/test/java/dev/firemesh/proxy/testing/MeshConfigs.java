package dev.firemesh.proxy.testing;

import dev.firemesh.traffic.config.ClusterConfig;
import dev.firemesh.traffic.config.DataPlaneConfig;
import dev.firemesh.traffic.config.Endpoint;
import dev.firemesh.traffic.config.InboundPolicy;
import dev.firemesh.traffic.config.PathMatcher;
import dev.firemesh.traffic.config.RequestMatch;
import dev.firemesh.traffic.config.RouteAction;
import dev.firemesh.traffic.config.RouteEntry;
import dev.firemesh.traffic.config.ServicePort;
import dev.firemesh.traffic.config.VirtualService;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Small data plane configurations for tests. */
public final class MeshConfigs {
  private final Map<String, VirtualService> services = new HashMap<>();
  private final Map<String, ClusterConfig> clusters = new HashMap<>();
  private final Map<String, List<ServicePort>> ports = new HashMap<>();
  private final Map<String, InboundPolicy> inbound = new HashMap<>();

  public static MeshConfigs builder() {
    return new MeshConfigs();
  }

  /** A service whose one route (any path) goes to {@code cluster}. */
  public MeshConfigs service(String name, String cluster) {
    return service(name, RequestMatch.ANY, cluster);
  }

  /** A service whose one route matches paths starting with {@code prefix}. */
  public MeshConfigs servicePrefix(String name, String prefix, String cluster) {
    return service(name, new RequestMatch(new PathMatcher.Prefix(prefix), List.of()), cluster);
  }

  private MeshConfigs service(String name, RequestMatch match, String cluster) {
    RouteAction action =
        new RouteAction(
            List.of(new RouteAction.WeightedCluster(cluster, 1)),
            Duration.ZERO,
            RouteAction.Retry.NONE,
            RouteAction.Fault.NONE,
            List.of(),
            "");
    services.put(name, new VirtualService(name, List.of(new RouteEntry("default", match, action))));
    return this;
  }

  /** A service with the given routes, in order. */
  public MeshConfigs service(String name, RouteEntry... routes) {
    services.put(name, new VirtualService(name, List.of(routes)));
    return this;
  }

  /** A cluster of loopback endpoints at {@code ports}. */
  public MeshConfigs cluster(String name, int... ports) {
    return cluster(name, Duration.ofSeconds(1), ports);
  }

  public MeshConfigs cluster(String name, Duration connectTimeout, int... ports) {
    return cluster(name, ClusterConfig.Protocol.HTTP1, connectTimeout, ports);
  }

  /** A cluster of loopback endpoints at {@code ports} spoken to in {@code protocol}. */
  public MeshConfigs cluster(String name, ClusterConfig.Protocol protocol, int... ports) {
    return cluster(name, protocol, Duration.ofSeconds(1), ports);
  }

  public MeshConfigs cluster(
      String name, ClusterConfig.Protocol protocol, Duration connectTimeout, int... ports) {
    List<Endpoint> endpoints =
        Arrays.stream(ports)
            .mapToObj(port -> new Endpoint("127.0.0.1", port, "local", "local-a", 1))
            .toList();
    return cluster(name, protocol, connectTimeout, endpoints);
  }

  /** A cluster of the given endpoints (with their identities) spoken to in {@code protocol}. */
  public MeshConfigs cluster(
      String name, ClusterConfig.Protocol protocol, List<Endpoint> endpoints) {
    return cluster(name, protocol, Duration.ofSeconds(2), endpoints);
  }

  private MeshConfigs cluster(
      String name,
      ClusterConfig.Protocol protocol,
      Duration connectTimeout,
      List<Endpoint> endpoints) {
    clusters.put(
        name,
        new ClusterConfig(
            name,
            protocol,
            ClusterConfig.BalancerPolicy.ROUND_ROBIN,
            connectTimeout,
            Duration.ofSeconds(30),
            ClusterConfig.Limits.DEFAULT,
            ClusterConfig.OutlierDetection.DISABLED,
            endpoints));
    return this;
  }

  /** A loopback endpoint at {@code port} whose certificate must name {@code identity}. */
  public static Endpoint endpoint(int port, String identity) {
    return new Endpoint("127.0.0.1", port, "local", "local-a", 1, 0, identity);
  }

  /** {@code service}'s sidecars take peers in {@code mode}. */
  public MeshConfigs mtls(String service, InboundPolicy.MtlsMode mode) {
    inbound.put(service, new InboundPolicy(mode, List.of()));
    return this;
  }

  /** The ports {@code service} declares, as a Service resource would. */
  public MeshConfigs ports(String service, ServicePort... declared) {
    ports.put(service, List.of(declared));
    return this;
  }

  public DataPlaneConfig build(String version) {
    return new DataPlaneConfig(version, services, clusters, ports, inbound);
  }
}
