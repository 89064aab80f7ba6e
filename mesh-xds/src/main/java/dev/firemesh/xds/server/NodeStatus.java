package dev.firemesh.xds.server;

import dev.firemesh.xds.translate.NodeIdentity;
import dev.firemesh.xds.translate.XdsType;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * What the xDS server knows of one node: when its current (or last) connection began, whether it is
 * connected now, per resource type what it was sent, acknowledged and rejected, and the string
 * entries of the metadata it sent with its first request (bounded; see {@code NodeTracker}).
 */
public record NodeStatus(
    String nodeId,
    Instant connectedSince,
    boolean connected,
    Map<XdsType, TypeStatus> types,
    Map<String, String> metadata) {
  public NodeStatus {
    types = Map.copyOf(types);
    metadata = Map.copyOf(metadata);
  }

  public NodeStatus(
      String nodeId, Instant connectedSince, boolean connected, Map<XdsType, TypeStatus> types) {
    this(nodeId, connectedSince, connected, types, Map.of());
  }

  /** The sidecar's admin listener, {@code host:port}, if the node announced one. */
  public Optional<String> adminAddress() {
    return Optional.ofNullable(metadata.get(NodeIdentity.ADMIN_ADDRESS_KEY));
  }

  /**
   * The SPIFFE ID the node's certificate proved, if the server authenticates nodes (never what the
   * node said of itself).
   */
  public Optional<String> identity() {
    return Optional.ofNullable(metadata.get(NodeIdentity.VERIFIED_IDENTITY_KEY));
  }

  public TypeStatus type(XdsType type) {
    return types.getOrDefault(type, TypeStatus.NONE);
  }
}
