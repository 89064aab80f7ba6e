package dev.firemesh.traffic.route;

import dev.firemesh.traffic.config.ClusterConfig;
import dev.firemesh.traffic.config.ClusterConfig.BalancerPolicy;
import dev.firemesh.traffic.config.DataPlaneConfig;
import dev.firemesh.traffic.config.Endpoint;
import dev.firemesh.traffic.config.RequestMatch;
import dev.firemesh.traffic.config.RouteAction;
import dev.firemesh.traffic.config.RouteAction.WeightedCluster;
import dev.firemesh.traffic.config.RouteEntry;
import dev.firemesh.traffic.config.VirtualService;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Builders of data plane configurations for router tests. */
final class Configs {
  private Configs() {}

  static DataPlaneConfig config(
      String version, List<VirtualService> services, List<ClusterConfig> clusters) {
    return new DataPlaneConfig(
        version,
        services.stream().collect(Collectors.toMap(VirtualService::name, Function.identity())),
        clusters.stream().collect(Collectors.toMap(ClusterConfig::name, Function.identity())));
  }

  static VirtualService service(String name, RouteEntry... routes) {
    return new VirtualService(name, List.of(routes));
  }

  static RouteEntry route(String name, RequestMatch match, WeightedCluster... clusters) {
    return route(name, match, "", clusters);
  }

  static RouteEntry route(
      String name, RequestMatch match, String hashHeader, WeightedCluster... clusters) {
    return new RouteEntry(
        name,
        match,
        new RouteAction(
            List.of(clusters),
            Duration.ZERO,
            RouteAction.Retry.NONE,
            RouteAction.Fault.NONE,
            List.of(),
            hashHeader));
  }

  static WeightedCluster to(String cluster) {
    return new WeightedCluster(cluster, 1);
  }

  static WeightedCluster to(String cluster, int weight) {
    return new WeightedCluster(cluster, weight);
  }

  static ClusterConfig cluster(String name, BalancerPolicy policy, Endpoint... endpoints) {
    return new ClusterConfig(
        name,
        ClusterConfig.Protocol.HTTP1,
        policy,
        Duration.ofSeconds(1),
        Duration.ofMinutes(1),
        ClusterConfig.Limits.DEFAULT,
        ClusterConfig.OutlierDetection.DISABLED,
        Arrays.asList(endpoints));
  }

  static Endpoint endpoint(String address, int port) {
    return new Endpoint(address, port, "eu", "eu-1", 1);
  }

  static Endpoint endpoint(String address, int port, int weight) {
    return new Endpoint(address, port, "eu", "eu-1", weight);
  }

  static Map<String, String> headers(String... namesAndValues) {
    Map<String, String> headers = new java.util.HashMap<>();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      headers.put(namesAndValues[i], namesAndValues[i + 1]);
    }
    return headers;
  }
}
