package dev.firemesh.xds.translate;

import java.util.Objects;

/**
 * Who is asking for configuration: the xDS node id and what the node says of itself. Today every
 * node gets the same resources; the locality and cluster are here so that a per-node view (local
 * region first, a sidecar's own inbound listener) needs no change to the callers.
 */
public record NodeIdentity(String id, String cluster, String region, String zone) {
  public NodeIdentity {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(cluster, "cluster");
    Objects.requireNonNull(region, "region");
    Objects.requireNonNull(zone, "zone");
  }

  public static NodeIdentity of(String id) {
    return new NodeIdentity(id, "", "", "");
  }
}
