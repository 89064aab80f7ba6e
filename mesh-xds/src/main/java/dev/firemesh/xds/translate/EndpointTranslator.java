package dev.firemesh.xds.translate;

import com.google.protobuf.UInt32Value;
import dev.firemesh.api.registry.ServiceInstance;
import dev.firemesh.api.resource.Service;
import io.envoyproxy.envoy.config.core.v3.Address;
import io.envoyproxy.envoy.config.core.v3.HealthStatus;
import io.envoyproxy.envoy.config.core.v3.Locality;
import io.envoyproxy.envoy.config.core.v3.SocketAddress;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.endpoint.v3.Endpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LbEndpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LocalityLbEndpoints;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The endpoints of one cluster: the service's instances whose labels the subset selects, grouped by
 * locality (the {@code region} and {@code zone} labels), all HEALTHY (the registry holds only live
 * instances; a sidecar's own health checks and outlier detection do the rest).
 */
final class EndpointTranslator {
  private final MeshIndex mesh;

  EndpointTranslator(MeshIndex mesh) {
    this.mesh = mesh;
  }

  /** {@code subset} absent selects every instance. */
  ClusterLoadAssignment assignment(String service, Service.Subset subset) {
    Map<String, List<ServiceInstance>> byLocality = new TreeMap<>();
    for (ServiceInstance instance : mesh.instances(service)) {
      if (subset.selects(instance.labels())) {
        String locality =
            instance.label(ServiceInstance.REGION) + "\0" + instance.label(ServiceInstance.ZONE);
        byLocality.computeIfAbsent(locality, l -> new ArrayList<>()).add(instance);
      }
    }
    ClusterLoadAssignment.Builder assignment =
        ClusterLoadAssignment.newBuilder()
            .setClusterName(ResourceNames.cluster(service, subset.name()));
    for (List<ServiceInstance> instances : byLocality.values()) {
      assignment.addEndpoints(locality(instances));
    }
    return assignment.build();
  }

  /**
   * grpc-java drops a locality without a weight. Weighting each by its number of instances spreads
   * calls evenly over instances, whatever their locality.
   */
  private static LocalityLbEndpoints locality(List<ServiceInstance> instances) {
    ServiceInstance first = instances.getFirst();
    LocalityLbEndpoints.Builder locality =
        LocalityLbEndpoints.newBuilder()
            .setLocality(
                Locality.newBuilder()
                    .setRegion(first.label(ServiceInstance.REGION))
                    .setZone(first.label(ServiceInstance.ZONE)))
            .setLoadBalancingWeight(UInt32Value.of(instances.size()))
            .setPriority(0);
    for (ServiceInstance instance : instances) {
      locality.addLbEndpoints(
          LbEndpoint.newBuilder()
              .setHealthStatus(HealthStatus.HEALTHY)
              .setLoadBalancingWeight(UInt32Value.of(1))
              .setEndpoint(
                  Endpoint.newBuilder()
                      .setAddress(
                          Address.newBuilder()
                              .setSocketAddress(
                                  SocketAddress.newBuilder()
                                      .setAddress(instance.address())
                                      .setPortValue(instance.port())))));
    }
    return locality.build();
  }
}
