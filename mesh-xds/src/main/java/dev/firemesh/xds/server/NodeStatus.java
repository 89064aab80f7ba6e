package dev.firemesh.xds.server;

import dev.firemesh.xds.translate.XdsType;
import java.time.Instant;
import java.util.Map;

/**
 * What the xDS server knows of one node: when its current (or last) connection began, whether it is
 * connected now, and per resource type what it was sent, acknowledged and rejected.
 */
public record NodeStatus(
    String nodeId, Instant connectedSince, boolean connected, Map<XdsType, TypeStatus> types) {
  public NodeStatus {
    types = Map.copyOf(types);
  }

  public TypeStatus type(XdsType type) {
    return types.getOrDefault(type, TypeStatus.NONE);
  }
}
