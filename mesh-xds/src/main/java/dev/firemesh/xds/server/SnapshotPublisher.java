package dev.firemesh.xds.server;

import dev.firemesh.xds.translate.MeshState;
import dev.firemesh.xds.translate.MeshTranslator;
import dev.firemesh.xds.translate.NodeIdentity;
import dev.firemesh.xds.translate.Translation;
import dev.firemesh.xds.translate.XdsSnapshot;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Keeps every known node's snapshot in the cache equal to its view of the latest translation.
 *
 * <p>All writes to the cache go through this object's lock, so a node's first snapshot and a
 * concurrent mesh update cannot interleave and leave the node on the older one.
 */
final class SnapshotPublisher {
  private final NodeCache cache;
  private final Map<String, NodeIdentity> nodes = new ConcurrentHashMap<>();
  private Translation translation = MeshTranslator.translate(MeshState.EMPTY);

  SnapshotPublisher(NodeCache cache) {
    this.cache = cache;
  }

  /** Translates the new state and hands each known node its view; unchanged views are skipped. */
  synchronized void publish(MeshState state) {
    translation = MeshTranslator.translate(state);
    nodes.values().forEach(this::setSnapshot);
  }

  /**
   * Gives a node its snapshot if it has none yet. Called on each request before the cache opens a
   * watch, so that a node's first request is answered at once rather than at the next update.
   */
  void ensureSnapshot(NodeIdentity node) {
    if (nodes.containsKey(node.id())) {
      return;
    }
    synchronized (this) {
      if (!nodes.containsKey(node.id())) {
        setSnapshot(node);
        nodes.put(node.id(), node);
      }
    }
  }

  /**
   * Drops a node's snapshot. Returns false, keeping it, if the cache still has watches for the node
   * (it reconnected meanwhile).
   */
  synchronized boolean forget(String nodeId) {
    if (!cache.clearSnapshot(nodeId)) {
      return false;
    }
    nodes.remove(nodeId);
    return true;
  }

  /** How many nodes hold a snapshot; bounded by the forgetting of disconnected nodes. */
  int size() {
    return nodes.size();
  }

  private void setSnapshot(NodeIdentity node) {
    XdsSnapshot next = translation.forNode(node);
    CacheSnapshot current = cache.getSnapshot(node.id());
    if (current != null && current.xds().sameVersionsAs(next)) {
      return;
    }
    cache.setSnapshot(node.id(), new CacheSnapshot(next));
  }
}
