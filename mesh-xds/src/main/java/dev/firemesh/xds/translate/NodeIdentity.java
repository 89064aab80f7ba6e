package dev.firemesh.xds.translate;

import java.util.Objects;

/**
 * Who is asking for configuration: the xDS node id and what the node says of itself. The locality
 * ranks the endpoints the node gets (its zone first, then its region); the cluster is here so that
 * other per-node views (a sidecar's own inbound listener) need no change to the callers.
 */
public record NodeIdentity(String id, String cluster, String region, String zone) {
  /**
   * The node metadata key under which a sidecar announces its admin listener ({@code host:port}),
   * where the control plane reads its metrics ({@code /stats/prometheus}).
   */
  public static final String ADMIN_ADDRESS_KEY = "firemesh.admin";

  /**
   * The node metadata key under which the xDS server records the SPIFFE ID the node's certificate
   * proved; whatever a node sends under it itself is overwritten.
   */
  public static final String VERIFIED_IDENTITY_KEY = "firemesh.identity";

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
