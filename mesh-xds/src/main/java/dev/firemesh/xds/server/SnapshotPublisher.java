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
 * <p>Until the first {@link #publish}, nodes get no snapshot, so their requests wait: a control
 * plane that has just started and not yet read its store must not tell every data plane that the
 * mesh is empty, which would wipe the configuration they keep while it is away (fail static).
 *
 * <p>All writes to the cache go through this object's lock, so a node's first snapshot and a
 * concurrent mesh update cannot interleave and leave the node on the older one.
 */
final class SnapshotPublisher {
  private final NodeCache cache;
  private final Map<String, NodeIdentity> nodes = new ConcurrentHashMap<>();
  // Null until the first publish: nothing is known yet, which is not the same as an empty mesh.
  private Translation translation;

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
   * watch, so that a node's first request is answered at once rather than at the next update (or,
   * before the first update, at that update).
   */
  void ensureSnapshot(NodeIdentity node) {
    if (nodes.containsKey(node.id())) {
      return;
    }
    synchronized (this) {
      if (!nodes.containsKey(node.id())) {
        if (translation != null) {
          setSnapshot(node);
        }
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
