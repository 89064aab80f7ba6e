package dev.firemesh.xds.translate;

/**
 * The result of one translation, from which each node's view is taken. Today every node sees the
 * whole mesh; scoping a node to the services it calls, or giving a sidecar its inbound listener,
 * belongs in {@link #forNode}.
 */
public record Translation(XdsSnapshot mesh) {

  public XdsSnapshot forNode(NodeIdentity node) {
    return mesh;
  }
}
