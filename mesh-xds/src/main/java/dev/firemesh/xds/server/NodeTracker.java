package dev.firemesh.xds.server;

import com.google.protobuf.Value;
import dev.firemesh.xds.translate.NodeIdentity;
import dev.firemesh.xds.translate.XdsType;
import io.envoyproxy.controlplane.server.DiscoveryServerCallbacks;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryResponse;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows every ADS stream through java-control-plane's callbacks: binds streams to nodes, makes
 * sure a node has its snapshot before its first request is served, records what each node was sent,
 * acknowledged and rejected, and forgets a node some time after its last stream closed.
 *
 * <p>A request is an ACK when its nonce is that of the latest response of its type on its stream
 * and it has no {@code error_detail}; with an {@code error_detail} it is a NACK.
 */
final class NodeTracker implements DiscoveryServerCallbacks {
  private static final Logger LOG = LoggerFactory.getLogger(NodeTracker.class);
  private static final int MAX_METADATA_ENTRIES = 16;
  private static final int MAX_METADATA_CHARS = 256;

  private final SnapshotPublisher publisher;
  private final ScheduledExecutorService evictions;
  private final Duration retention;
  private final Map<Long, StreamRecord> streams = new ConcurrentHashMap<>();
  private final Map<String, NodeRecord> nodes = new ConcurrentHashMap<>();

  /** One stream: its node, once known, and its latest response of each type. */
  private static final class StreamRecord {
    volatile String nodeId = "";
    final Map<String, Response> latest = new ConcurrentHashMap<>();
  }

  private record Response(String nonce, String version) {}

  NodeTracker(SnapshotPublisher publisher, ScheduledExecutorService evictions, Duration retention) {
    this.publisher = publisher;
    this.evictions = evictions;
    this.retention = retention;
  }

  List<NodeStatus> statuses() {
    return nodes.values().stream()
        .map(NodeRecord::status)
        .sorted(Comparator.comparing(NodeStatus::nodeId))
        .toList();
  }

  Optional<NodeStatus> status(String nodeId) {
    return Optional.ofNullable(nodes.get(nodeId)).map(NodeRecord::status);
  }

  @Override
  public void onStreamOpen(long streamId, String typeUrl) {
    streams.put(streamId, new StreamRecord());
  }

  @Override
  public void onV3StreamRequest(long streamId, DiscoveryRequest request) {
    onRequest(
        streamId,
        request.getNode(),
        request.getTypeUrl(),
        request.getResponseNonce(),
        request.hasErrorDetail(),
        request.getErrorDetail().getMessage());
  }

  @Override
  public void onV3StreamDeltaRequest(long streamId, DeltaDiscoveryRequest request) {
    onRequest(
        streamId,
        request.getNode(),
        request.getTypeUrl(),
        request.getResponseNonce(),
        request.hasErrorDetail(),
        request.getErrorDetail().getMessage());
  }

  @Override
  public void onV3StreamResponse(
      long streamId, DiscoveryRequest request, DiscoveryResponse response) {
    onResponse(streamId, response.getTypeUrl(), response.getNonce(), response.getVersionInfo());
  }

  @Override
  public void onV3StreamDeltaResponse(
      long streamId, DeltaDiscoveryRequest request, DeltaDiscoveryResponse response) {
    onResponse(
        streamId, response.getTypeUrl(), response.getNonce(), response.getSystemVersionInfo());
  }

  @Override
  public void onStreamClose(long streamId, String typeUrl) {
    onClose(streamId);
  }

  @Override
  public void onStreamCloseWithError(long streamId, String typeUrl, Throwable error) {
    onClose(streamId);
  }

  private void onRequest(
      long streamId, Node node, String typeUrl, String nonce, boolean nack, String reason) {
    StreamRecord stream = streams.get(streamId);
    if (stream == null || node.getId().isEmpty()) {
      return; // a client that names no node cannot be told apart from others; nothing to record
    }
    if (stream.nodeId.isEmpty()) {
      stream.nodeId = node.getId();
      Instant now = Instant.now();
      nodes.compute(
          node.getId(),
          (id, rec) -> {
            NodeRecord record = rec != null ? rec : new NodeRecord(id, now);
            record.attach(streamId, now, stringMetadata(node));
            return record;
          });
    }
    publisher.ensureSnapshot(identity(node));

    Optional<XdsType> type = XdsType.fromTypeUrl(typeUrl);
    NodeRecord record = nodes.get(node.getId());
    if (type.isEmpty() || record == null) {
      return;
    }
    Response latest = stream.latest.get(typeUrl);
    boolean answersLatest = latest != null && latest.nonce().equals(nonce);
    if (nack) {
      String rejected = answersLatest ? latest.version() : "";
      record.nacked(type.get(), new Nack(rejected, reason, Instant.now()));
      LOG.warn(
          "xDS NACK node={} type={} rejectedVersion={} nonce={} reason={}",
          node.getId(),
          type.get(),
          rejected,
          nonce,
          reason);
    } else if (answersLatest) {
      record.acked(type.get(), latest.version());
    }
  }

  private void onResponse(long streamId, String typeUrl, String nonce, String version) {
    StreamRecord stream = streams.get(streamId);
    Optional<XdsType> type = XdsType.fromTypeUrl(typeUrl);
    if (stream == null || type.isEmpty()) {
      return;
    }
    stream.latest.put(typeUrl, new Response(nonce, version));
    NodeRecord record = nodes.get(stream.nodeId);
    if (record != null) {
      record.sent(type.get(), version);
    }
  }

  private void onClose(long streamId) {
    StreamRecord stream = streams.remove(streamId);
    if (stream == null || stream.nodeId.isEmpty()) {
      return;
    }
    String nodeId = stream.nodeId;
    NodeRecord record = nodes.get(nodeId);
    if (record == null) {
      return;
    }
    long disconnection = record.detach(streamId);
    if (disconnection >= 0) {
      evictions.schedule(
          () -> evict(nodeId, disconnection), retention.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  /** Forgets the node if it has not reconnected since; tries again later if the cache refuses. */
  private void evict(String nodeId, long disconnection) {
    nodes.computeIfPresent(
        nodeId,
        (id, record) -> {
          if (!record.goneSince(disconnection)) {
            return record;
          }
          if (publisher.forget(id)) {
            LOG.debug("xDS node forgotten node={}", id);
            return null;
          }
          evictions.schedule(
              () -> evict(id, disconnection), retention.toMillis(), TimeUnit.MILLISECONDS);
          return record;
        });
  }

  /**
   * The node's string-valued metadata, bounded: it comes from any client, and is kept for as long
   * as the node is.
   */
  static Map<String, String> stringMetadata(Node node) {
    Map<String, String> kept = new java.util.TreeMap<>();
    for (Map.Entry<String, Value> e : node.getMetadata().getFieldsMap().entrySet()) {
      if (kept.size() == MAX_METADATA_ENTRIES) {
        break;
      }
      if (e.getValue().hasStringValue()
          && e.getKey().length() <= MAX_METADATA_CHARS
          && e.getValue().getStringValue().length() <= MAX_METADATA_CHARS) {
        kept.put(e.getKey(), e.getValue().getStringValue());
      }
    }
    return kept;
  }

  private static NodeIdentity identity(Node node) {
    return new NodeIdentity(
        node.getId(),
        node.getCluster(),
        node.getLocality().getRegion(),
        node.getLocality().getZone());
  }
}
