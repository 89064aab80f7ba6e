package dev.firemesh.xds.translate;

import java.util.Arrays;
import java.util.Optional;

/** The xDS resource types FireMesh serves, in the order a client must receive them. */
public enum XdsType {
  CLUSTER("type.googleapis.com/envoy.config.cluster.v3.Cluster"),
  ENDPOINT("type.googleapis.com/envoy.config.endpoint.v3.ClusterLoadAssignment"),
  LISTENER("type.googleapis.com/envoy.config.listener.v3.Listener"),
  ROUTE("type.googleapis.com/envoy.config.route.v3.RouteConfiguration");

  private final String typeUrl;

  XdsType(String typeUrl) {
    this.typeUrl = typeUrl;
  }

  public String typeUrl() {
    return typeUrl;
  }

  public static Optional<XdsType> fromTypeUrl(String typeUrl) {
    return Arrays.stream(values()).filter(t -> t.typeUrl.equals(typeUrl)).findFirst();
  }
}
