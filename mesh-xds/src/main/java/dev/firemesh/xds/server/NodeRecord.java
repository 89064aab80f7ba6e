package dev.firemesh.xds.server;

import dev.firemesh.xds.translate.XdsType;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The mutable record of one node behind {@link NodeStatus}; every method holds its lock. */
final class NodeRecord {
  private static final int NACKS_KEPT = 8;

  private final String nodeId;
  private final Set<Long> streams = new HashSet<>();
  private final Map<XdsType, Sent> types = new EnumMap<>(XdsType.class);
  private Instant connectedSince;
  private Map<String, String> metadata = Map.of();
  // Counts disconnections, so a delayed eviction can tell whether the node came back meanwhile.
  private long disconnections;

  private static final class Sent {
    String sentVersion = "";
    String ackedVersion = "";
    final ArrayDeque<Nack> nacks = new ArrayDeque<>();
  }

  NodeRecord(String nodeId, Instant now) {
    this.nodeId = nodeId;
    this.connectedSince = now;
  }

  /** A stream of this node opened; {@code metadata} is what its first request said. */
  synchronized void attach(long streamId, Instant now, Map<String, String> metadata) {
    if (streams.isEmpty()) {
      connectedSince = now;
    }
    streams.add(streamId);
    this.metadata = Map.copyOf(metadata); // a restarted sidecar announces a new admin port
  }

  /** Returns the disconnection count if this was the node's last stream, else -1. */
  synchronized long detach(long streamId) {
    streams.remove(streamId);
    if (streams.isEmpty()) {
      disconnections++;
      return disconnections;
    }
    return -1;
  }

  /** True if the node has had no stream since its disconnection number {@code disconnection}. */
  synchronized boolean goneSince(long disconnection) {
    return streams.isEmpty() && disconnections == disconnection;
  }

  synchronized void sent(XdsType type, String version) {
    types.computeIfAbsent(type, t -> new Sent()).sentVersion = version;
  }

  synchronized void acked(XdsType type, String version) {
    types.computeIfAbsent(type, t -> new Sent()).ackedVersion = version;
  }

  synchronized void nacked(XdsType type, Nack nack) {
    ArrayDeque<Nack> nacks = types.computeIfAbsent(type, t -> new Sent()).nacks;
    if (nacks.size() == NACKS_KEPT) {
      nacks.removeFirst();
    }
    nacks.addLast(nack);
  }

  synchronized NodeStatus status() {
    Map<XdsType, TypeStatus> statuses = new EnumMap<>(XdsType.class);
    types.forEach(
        (type, sent) ->
            statuses.put(
                type,
                new TypeStatus(sent.sentVersion, sent.ackedVersion, List.copyOf(sent.nacks))));
    return new NodeStatus(nodeId, connectedSince, !streams.isEmpty(), statuses, metadata);
  }
}
