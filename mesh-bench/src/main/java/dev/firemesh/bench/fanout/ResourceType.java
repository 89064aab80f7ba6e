package dev.firemesh.bench.fanout;

import java.util.Optional;

/**
 * The xDS resource types a FireMesh sidecar subscribes to over ADS, in the order it asks for them
 * on a new stream (clusters before what routes to them).
 */
public enum ResourceType {
  CLUSTER("type.googleapis.com/envoy.config.cluster.v3.Cluster", true),
  ENDPOINT("type.googleapis.com/envoy.config.endpoint.v3.ClusterLoadAssignment", false),
  LISTENER("type.googleapis.com/envoy.config.listener.v3.Listener", true),
  ROUTE("type.googleapis.com/envoy.config.route.v3.RouteConfiguration", false);

  private final String typeUrl;
  private final boolean wildcard;

  ResourceType(String typeUrl, boolean wildcard) {
    this.typeUrl = typeUrl;
    this.wildcard = wildcard;
  }

  public String typeUrl() {
    return typeUrl;
  }

  /** Subscribed to as a whole (no names) rather than by the names other resources give. */
  public boolean wildcard() {
    return wildcard;
  }

  public static Optional<ResourceType> of(String typeUrl) {
    for (ResourceType type : values()) {
      if (type.typeUrl.equals(typeUrl)) {
        return Optional.of(type);
      }
    }
    return Optional.empty();
  }
}
