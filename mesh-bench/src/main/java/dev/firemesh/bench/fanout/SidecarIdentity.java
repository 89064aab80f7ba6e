package dev.firemesh.bench.fanout;

import io.envoyproxy.envoy.config.core.v3.Locality;
import io.envoyproxy.envoy.config.core.v3.Node;
import java.util.Objects;

/**
 * Who a simulated sidecar says it is, as {@code firemesh proxy} does: the node id (the instance
 * id), the cluster (its service) and the locality (its {@code region}/{@code zone} labels, empty
 * when it has none). A sidecar sends no node metadata.
 */
public record SidecarIdentity(String id, String service, String region, String zone) {
  public SidecarIdentity {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(service, "service");
    Objects.requireNonNull(region, "region");
    Objects.requireNonNull(zone, "zone");
    if (id.isEmpty()) {
      throw new IllegalArgumentException("a sidecar's node id must not be empty");
    }
  }

  Node node() {
    return Node.newBuilder()
        .setId(id)
        .setCluster(service)
        .setLocality(Locality.newBuilder().setRegion(region).setZone(zone))
        .setUserAgentName("firemesh")
        .build();
  }
}
