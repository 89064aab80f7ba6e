package dev.firemesh.xds.translate;

/**
 * How FireMesh names its xDS resources. A proxyless gRPC client dialing {@code xds:///orders} asks
 * for the Listener {@code orders}; everything else follows from it:
 *
 * <ul>
 *   <li>Listener and RouteConfiguration: the service name, {@code orders}.
 *   <li>Cluster and its ClusterLoadAssignment for all instances: the service name, {@code orders}.
 *   <li>Cluster for one subset: service and subset joined by {@code |}, {@code orders|v2}. The
 *       separator cannot appear in a service or subset name (DNS labels), so names never collide.
 * </ul>
 */
public final class ResourceNames {
  public static final String SUBSET_SEPARATOR = "|";

  private ResourceNames() {}

  public static String listener(String service) {
    return service;
  }

  public static String routeConfiguration(String service) {
    return service;
  }

  /** The cluster of all instances of a service. */
  public static String cluster(String service) {
    return service;
  }

  /** The cluster of one subset, or of all instances if {@code subset} is empty. */
  public static String cluster(String service, String subset) {
    return subset.isEmpty() ? service : service + SUBSET_SEPARATOR + subset;
  }
}
