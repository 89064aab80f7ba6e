package dev.firemesh.xds.translate;

import com.google.protobuf.UInt32Value;
import dev.firemesh.api.identity.SpiffeId;
import dev.firemesh.api.registry.ServiceInstance;
import dev.firemesh.api.resource.Service;
import dev.firemesh.api.resource.TrafficPolicy;
import dev.firemesh.traffic.locality.Locality;
import dev.firemesh.traffic.locality.LocalityPreference;
import io.envoyproxy.envoy.config.core.v3.Address;
import io.envoyproxy.envoy.config.core.v3.HealthStatus;
import io.envoyproxy.envoy.config.core.v3.SocketAddress;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.endpoint.v3.Endpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LbEndpoint;
import io.envoyproxy.envoy.config.endpoint.v3.LocalityLbEndpoints;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The endpoints of one cluster as one caller should see them: the service's instances whose labels
 * the subset selects, grouped by locality (the {@code region} and {@code zone} labels), all HEALTHY
 * (the registry holds only live instances; a sidecar's own health checks and outlier detection do
 * the rest). Each locality's priority is its rank in the caller's preference (own zone, own region,
 * anywhere), unless the TrafficPolicy turns locality off or the caller's region is unknown: then
 * every locality is priority 0. An instance registered with the label {@code identity} (its SPIFFE
 * ID) carries it as {@link EndpointMetadata}.
 */
final class EndpointTranslator {
  private static final Comparator<Locality> BY_PLACE =
      Comparator.comparing(Locality::region).thenComparing(Locality::zone);

  private final MeshIndex mesh;

  EndpointTranslator(MeshIndex mesh) {
    this.mesh = mesh;
  }

  /** {@code subset} absent selects every instance; {@code caller} is where the asking node runs. */
  ClusterLoadAssignment assignment(String service, Service.Subset subset, Locality caller) {
    Map<Locality, List<ServiceInstance>> byLocality = new TreeMap<>(BY_PLACE);
    for (ServiceInstance instance : mesh.instances(service)) {
      if (subset.selects(instance.labels())) {
        Locality locality =
            new Locality(
                instance.label(ServiceInstance.REGION), instance.label(ServiceInstance.ZONE));
        byLocality.computeIfAbsent(locality, l -> new ArrayList<>()).add(instance);
      }
    }
    boolean localityAware =
        mesh.policy(service, subset.name())
            .map(policy -> policy.loadBalancer().localityAware())
            .orElse(TrafficPolicy.LoadBalancer.DEFAULT.localityAware());
    Map<Locality, Integer> priorities =
        new LocalityPreference(localityAware ? caller : Locality.UNKNOWN)
            .priorities(byLocality.keySet());
    ClusterLoadAssignment.Builder assignment =
        ClusterLoadAssignment.newBuilder()
            .setClusterName(ResourceNames.cluster(service, subset.name()));
    for (Map.Entry<Locality, List<ServiceInstance>> entry : byLocality.entrySet()) {
      assignment.addEndpoints(
          locality(entry.getKey(), entry.getValue(), priorities.get(entry.getKey())));
    }
    return assignment.build();
  }

  /**
   * grpc-java drops a locality without a weight. Weighting each by its number of instances spreads
   * calls evenly over instances, whatever their locality.
   */
  private static LocalityLbEndpoints locality(
      Locality place, List<ServiceInstance> instances, int priority) {
    LocalityLbEndpoints.Builder locality =
        LocalityLbEndpoints.newBuilder()
            .setLocality(
                io.envoyproxy.envoy.config.core.v3.Locality.newBuilder()
                    .setRegion(place.region())
                    .setZone(place.zone()))
            .setLoadBalancingWeight(UInt32Value.of(instances.size()))
            .setPriority(priority);
    for (ServiceInstance instance : instances) {
      LbEndpoint.Builder endpoint = LbEndpoint.newBuilder();
      String identity = instance.label(EndpointMetadata.IDENTITY_LABEL);
      // The control plane speaks for identities: a label that is no mesh SPIFFE ID is left out
      // here rather than NACKed by every caller's sidecar.
      if (SpiffeId.parse(identity).isPresent()) {
        endpoint.setMetadata(EndpointMetadata.identity(identity));
      }
      locality.addLbEndpoints(
          endpoint
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
