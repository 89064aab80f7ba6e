package dev.firemesh.xds.server;

import io.envoyproxy.controlplane.cache.SimpleCache;
import io.envoyproxy.envoy.config.core.v3.Node;

/** java-control-plane's snapshot cache with one snapshot per node, keyed by node id. */
final class NodeCache extends SimpleCache<String, CacheSnapshot> {
  NodeCache() {
    super(Node::getId);
  }
}
