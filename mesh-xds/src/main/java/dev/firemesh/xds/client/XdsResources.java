package dev.firemesh.xds.client;

import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import java.util.Map;

/**
 * A set of Envoy v3 resources of the four types, each by its resource name (a ClusterLoadAssignment
 * by its cluster, or EDS service, name). Equal sets hold equal protos.
 */
public record XdsResources(
    Map<String, Listener> listeners,
    Map<String, RouteConfiguration> routeConfigurations,
    Map<String, Cluster> clusters,
    Map<String, ClusterLoadAssignment> loadAssignments) {

  public static final XdsResources EMPTY = new XdsResources(Map.of(), Map.of(), Map.of(), Map.of());

  public XdsResources {
    listeners = Map.copyOf(listeners);
    routeConfigurations = Map.copyOf(routeConfigurations);
    clusters = Map.copyOf(clusters);
    loadAssignments = Map.copyOf(loadAssignments);
  }
}
