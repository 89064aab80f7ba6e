package dev.firemesh.xds.translate;

import dev.firemesh.api.resource.Service;
import dev.firemesh.traffic.locality.Locality;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Translates the whole mesh to xDS. For each Service {@code s}: a Listener and a RouteConfiguration
 * named {@code s}; a Cluster and a ClusterLoadAssignment named {@code s} for all its instances and
 * one named {@code s|subset} per subset (see {@link ResourceNames}).
 */
public final class MeshTranslator {
  private static final Service.Subset ALL_INSTANCES = new Service.Subset("", Map.of());

  private MeshTranslator() {}

  public static Translation translate(MeshState state) {
    MeshIndex mesh = new MeshIndex(state);
    ClusterTranslator clusterTranslator = new ClusterTranslator(mesh);
    EndpointTranslator endpointTranslator = new EndpointTranslator(mesh);
    RouteTranslator routeTranslator = new RouteTranslator(mesh);

    List<XdsResource> clusters = new ArrayList<>();
    record Assignment(String cluster, String service, Service.Subset subset) {}
    List<Assignment> assignments = new ArrayList<>();
    List<XdsResource> listeners = new ArrayList<>();
    List<XdsResource> routes = new ArrayList<>();
    for (Service service : mesh.services()) {
      String name = service.name();
      List<Service.Subset> subsets = new ArrayList<>();
      subsets.add(ALL_INSTANCES);
      subsets.addAll(service.spec().subsets());
      for (Service.Subset subset : subsets) {
        String cluster = ResourceNames.cluster(name, subset.name());
        clusters.add(XdsResource.of(cluster, clusterTranslator.cluster(service, subset.name())));
        assignments.add(new Assignment(cluster, name, subset));
      }
      routes.add(
          XdsResource.of(
              ResourceNames.routeConfiguration(name), routeTranslator.routeConfiguration(name)));
      listeners.add(
          XdsResource.of(
              ResourceNames.listener(name),
              ListenerTranslator.listener(name, routeTranslator.injectsFaults(name))));
    }
    // Endpoints depend on where the caller runs; the rest is the same for every node.
    Function<Locality, List<XdsResource>> endpointsFor =
        caller ->
            assignments.stream()
                .map(
                    a ->
                        XdsResource.of(
                            a.cluster(),
                            endpointTranslator.assignment(a.service(), a.subset(), caller)))
                .toList();
    return new Translation(
        XdsSnapshot.of(clusters, endpointsFor.apply(Locality.UNKNOWN), listeners, routes),
        endpointsFor);
  }
}
