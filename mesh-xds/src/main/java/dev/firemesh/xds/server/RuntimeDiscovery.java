package dev.firemesh.xds.server;

import com.google.protobuf.Any;
import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.firemesh.api.config.EffectiveConfig;
import dev.firemesh.api.identity.SpiffeId;
import dev.firemesh.api.resource.Config;
import dev.firemesh.xds.translate.NodeIdentity;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.envoyproxy.envoy.service.runtime.v3.Runtime;
import io.envoyproxy.envoy.service.runtime.v3.RuntimeDiscoveryServiceGrpc;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Envoy's Runtime Discovery Service (state of the world), serving each chassis instance its
 * service's configuration: one resource, {@value #RESOURCE_NAME}, a {@link Runtime} whose layer
 * holds {@code revision}, {@code digest} and {@code document} (the canonical JSON of {@link
 * EffectiveConfig}). {@code version_info} is the digest.
 *
 * <p>Who a node is comes from its verified SPIFFE ID ({@link NodeIdentity#VERIFIED_IDENTITY_KEY},
 * written by {@link AuthenticatedNodes}): the environment is the SVID's, the service the node's
 * {@code cluster} (which must be the SVID's), the region the node's locality, the instance its id.
 *
 * <p>A stream is sent the document when it first asks for {@value #RESOURCE_NAME} (or for every
 * resource, with no names), then whenever the document for its node changes. An ACK is recorded; a
 * NACK is logged once and counted ({@code firemesh_control_config_nacks_total}), and the stream
 * carries on with the next change: the rejected document is not sent again. Names other than
 * {@value #RESOURCE_NAME} are answered with nothing.
 *
 * <p>A document's revision is the store revision at which its content (values and sources) last
 * changed for that node here, so a change to another service pushes nothing.
 */
final class RuntimeDiscovery extends RuntimeDiscoveryServiceGrpc.RuntimeDiscoveryServiceImplBase {
  static final String RESOURCE_NAME = "firemesh.config";
  static final String TYPE_URL = "type.googleapis.com/envoy.service.runtime.v3.Runtime";
  private static final Logger log = LoggerFactory.getLogger(RuntimeDiscovery.class);
  private static final int MAX_NACK_MESSAGE = 512;

  /** Whose configuration a stream carries. */
  private record Layer(String service, String environment, String region, String instance) {}

  private record Published(List<Config> configs, long revision) {}

  // One lock for publications and every stream's protocol state: sends are non-blocking
  // (gRPC queues them), and a stream's responses must not interleave.
  private final ReentrantLock lock = new ReentrantLock();
  private final Set<Stream> streams = ConcurrentHashMap.newKeySet();
  private final Map<Layer, EffectiveConfig> documents = new HashMap<>();
  private final Map<String, LongAdder> nacks = new ConcurrentHashMap<>();
  private final AtomicLong nonces = new AtomicLong();
  private Published published;

  /** The Configs now applied, read at store revision {@code revision}: pushes what changed. */
  void publish(List<Config> configs, long revision) {
    lock.lock();
    try {
      published = new Published(List.copyOf(configs), revision);
      Map<Layer, EffectiveConfig> next = new HashMap<>();
      for (Stream s : streams) {
        if (s.layer != null && !next.containsKey(s.layer)) {
          next.put(s.layer, computed(s.layer));
        }
      }
      documents.clear();
      documents.putAll(next);
      for (Stream s : streams) {
        s.sendIfChanged(false);
      }
    } finally {
      lock.unlock();
    }
  }

  /** Under the lock: the document for {@code layer}, kept as it was if its content is unchanged. */
  private EffectiveConfig computed(Layer layer) {
    EffectiveConfig fresh =
        EffectiveConfig.of(
            published.configs(),
            layer.service(),
            layer.environment(),
            layer.region(),
            layer.instance(),
            published.revision());
    EffectiveConfig before = documents.get(layer);
    return before != null && before.sameContent(fresh) ? before : fresh;
  }

  private Optional<EffectiveConfig> document(Layer layer) {
    if (published == null) {
      return Optional.empty();
    }
    return Optional.of(documents.computeIfAbsent(layer, this::computed));
  }

  /** NACKs per service since start. */
  Map<String, Long> nackCounts() {
    Map<String, Long> counts = new TreeMap<>();
    nacks.forEach((service, count) -> counts.put(service, count.sum()));
    return counts;
  }

  /** Prometheus text exposition of the NACK counter. */
  String exposition() {
    StringBuilder out = new StringBuilder();
    out.append(
        "# HELP firemesh_control_config_nacks_total Config documents (RTDS) the instances of a"
            + " service refused.\n");
    out.append("# TYPE firemesh_control_config_nacks_total counter\n");
    nackCounts()
        .forEach(
            (service, count) ->
                out.append("firemesh_control_config_nacks_total{service=\"")
                    .append(service)
                    .append("\"} ")
                    .append(count)
                    .append('\n'));
    return out.toString();
  }

  @Override
  public StreamObserver<DiscoveryRequest> streamRuntime(
      StreamObserver<DiscoveryResponse> responses) {
    Stream stream = new Stream((ServerCallStreamObserver<DiscoveryResponse>) responses);
    streams.add(stream);
    stream.out.setOnCancelHandler(() -> streams.remove(stream));
    return stream;
  }

  /** One RTDS stream; its fields are guarded by the lock. */
  private final class Stream implements StreamObserver<DiscoveryRequest> {
    final ServerCallStreamObserver<DiscoveryResponse> out;
    Layer layer;
    String nodeId = "";
    boolean subscribed;
    boolean closed;
    String sentDigest = "";
    String sentNonce = "";
    String nackedNonce = "";

    Stream(ServerCallStreamObserver<DiscoveryResponse> out) {
      this.out = out;
    }

    @Override
    public void onNext(DiscoveryRequest request) {
      lock.lock();
      try {
        if (closed) {
          return;
        }
        if (layer == null && !identify(request.getNode())) {
          return;
        }
        String nonce = request.getResponseNonce();
        if (!nonce.isEmpty()) {
          if (!nonce.equals(sentNonce)) {
            return; // answers a response that a newer one replaced
          }
          if (request.hasErrorDetail()) {
            nack(nonce, request.getErrorDetail().getMessage());
          }
        }
        boolean wants =
            request.getResourceNamesCount() == 0
                || request.getResourceNamesList().contains(RESOURCE_NAME);
        boolean first = wants && !subscribed;
        subscribed = wants;
        if (first) {
          sendIfChanged(true);
        }
      } finally {
        lock.unlock();
      }
    }

    /** Under the lock: who the node proved to be; false (stream closed) if it proved nothing. */
    private boolean identify(Node node) {
      if (node.getId().isEmpty()) {
        refuse(Status.INVALID_ARGUMENT.withDescription("the first request must name the node"));
        return false;
      }
      Value verified = node.getMetadata().getFieldsMap().get(NodeIdentity.VERIFIED_IDENTITY_KEY);
      Optional<SpiffeId> identity =
          verified == null ? Optional.empty() : SpiffeId.parse(verified.getStringValue());
      if (identity.isEmpty()) {
        refuse(
            Status.UNAUTHENTICATED.withDescription(
                "config is served only to a node that proved a workload identity (an SVID)"));
        return false;
      }
      if (!identity.get().service().equals(node.getCluster())) {
        refuse(
            Status.PERMISSION_DENIED.withDescription(
                "node "
                    + node.getId()
                    + " asks for the config of service \""
                    + node.getCluster()
                    + "\", but its certificate proves "
                    + identity.get()));
        return false;
      }
      nodeId = node.getId();
      layer =
          new Layer(
              node.getCluster(),
              identity.get().env(),
              node.getLocality().getRegion(),
              node.getId());
      return true;
    }

    private void nack(String nonce, String message) {
      if (nonce.equals(nackedNonce)) {
        return;
      }
      nackedNonce = nonce;
      nacks.computeIfAbsent(layer.service(), s -> new LongAdder()).increment();
      String shown =
          message.length() > MAX_NACK_MESSAGE
              ? message.substring(0, MAX_NACK_MESSAGE) + "..."
              : message;
      log.warn(
          "config NACK node={} service={} env={} digest={} message=\"{}\"",
          nodeId,
          layer.service(),
          layer.environment(),
          sentDigest,
          shown.replace("\"", "'"));
    }

    /**
     * Under the lock: sends the node's document if it asked and lacks it ({@code force}: anyway).
     */
    void sendIfChanged(boolean force) {
      if (closed || !subscribed || layer == null) {
        return;
      }
      Optional<EffectiveConfig> doc = document(layer);
      if (doc.isEmpty()) {
        return; // nothing published yet: the first publication sends it
      }
      String digest = doc.get().digest();
      if (!force && digest.equals(sentDigest)) {
        return;
      }
      String nonce = Long.toString(nonces.incrementAndGet());
      DiscoveryResponse response =
          DiscoveryResponse.newBuilder()
              .setVersionInfo(digest)
              .setTypeUrl(TYPE_URL)
              .setNonce(nonce)
              .addResources(Any.pack(runtime(doc.get(), digest)))
              .build();
      try {
        out.onNext(response);
      } catch (RuntimeException e) {
        // The call was cancelled meanwhile; its cancel handler forgets the stream.
        closed = true;
        return;
      }
      sentDigest = digest;
      sentNonce = nonce;
    }

    private void refuse(Status status) {
      closed = true;
      streams.remove(this);
      log.warn("RTDS stream refused: {}", status.getDescription());
      out.onError(status.asRuntimeException());
    }

    @Override
    public void onError(Throwable error) {
      lock.lock();
      try {
        closed = true;
        streams.remove(this);
      } finally {
        lock.unlock();
      }
    }

    @Override
    public void onCompleted() {
      lock.lock();
      try {
        closed = true;
        streams.remove(this);
        out.onCompleted();
      } finally {
        lock.unlock();
      }
    }
  }

  static Runtime runtime(EffectiveConfig doc, String digest) {
    return Runtime.newBuilder()
        .setName(RESOURCE_NAME)
        .setLayer(
            Struct.newBuilder()
                .putFields("revision", Value.newBuilder().setNumberValue(doc.revision()).build())
                .putFields("digest", Value.newBuilder().setStringValue(digest).build())
                .putFields("document", Value.newBuilder().setStringValue(doc.document()).build()))
        .build();
  }

  /** The Configs among {@code resources}. */
  static List<Config> configs(List<? extends Object> resources) {
    List<Config> configs = new ArrayList<>();
    for (Object r : resources) {
      if (r instanceof Config c) {
        configs.add(c);
      }
    }
    return configs;
  }
}
