package dev.firemesh.bench.fanout;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.rpc.Code;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager;
import io.envoyproxy.envoy.service.discovery.v3.AggregatedDiscoveryServiceGrpc;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.envoyproxy.envoy.service.discovery.v3.Resource;
import io.grpc.Channel;
import io.grpc.Status;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * One simulated sidecar: an ADS stream (state of the world) that asks for and acknowledges
 * configuration exactly as {@code firemesh proxy}'s xDS client does, and tells a {@link
 * ConfigListener} what it accepted.
 *
 * <p>On the wire: the node (id, cluster, locality, user agent {@code firemesh}) on every request;
 * Clusters, then Listeners, by wildcard on a new stream; then the ClusterLoadAssignments the
 * accepted EDS clusters name and the RouteConfigurations the accepted listeners' HTTP connection
 * managers name (an empty set is never sent: it would mean "everything"). Every response is
 * answered with a request that carries its version and nonce (an ACK), or, when a resource cannot
 * be unpacked, the previous version, the nonce and an error (a NACK). What a real sidecar does
 * beyond the wire, decoding into a data-plane configuration, is left out: this measures the control
 * plane, and the client's own cost should be small.
 *
 * <p>A lost stream is reported to the listener and not reopened: in a benchmark a reconnect would
 * hide the failure.
 *
 * <p><b>Threads.</b> gRPC delivers one stream's responses one at a time, on the channel's executor;
 * the stream is opened on the caller's thread. Both take this object's lock, which is never
 * contended for long: a gRPC request stream must not be written by two threads at once.
 */
public final class SimulatedSidecar {
  /** Told what a sidecar accepted, on the thread that delivered the response; must not block. */
  public interface ConfigListener {
    /**
     * A response of {@code type} was accepted and its ACK written, at {@code ackedAtNanos} ({@link
     * System#nanoTime()}).
     */
    void accepted(SimulatedSidecar sidecar, ResourceType type, long ackedAtNanos);

    /** The stream ended other than by {@link #close()}. */
    void lost(SimulatedSidecar sidecar, Status status);
  }

  private static final class TypeState {
    String version = "";
    String nonce = "";
    Set<String> subscribed = Set.of();
    boolean requested;
    boolean answered;
    // For named types: every name a response has brought (responses may hold only what changed).
    final Set<String> received = new HashSet<>();
  }

  private final int index;
  private final SidecarIdentity identity;
  private final Node node;
  private final ConfigListener listener;
  private final Map<ResourceType, TypeState> types = new EnumMap<>(ResourceType.class);

  // Guarded by this.
  private ClientCallStreamObserver<DiscoveryRequest> requests;
  private boolean closed;
  private long responses;
  private long nacks;

  // Written under the lock, read by anyone.
  private volatile Map<String, Cluster> clusters = Map.of();

  /**
   * @param index this sidecar's place in its fleet, for the listener's bookkeeping
   */
  public SimulatedSidecar(int index, SidecarIdentity identity, ConfigListener listener) {
    this.index = index;
    this.identity = Objects.requireNonNull(identity, "identity");
    this.node = identity.node();
    this.listener = Objects.requireNonNull(listener, "listener");
    for (ResourceType type : ResourceType.values()) {
      types.put(type, new TypeState());
    }
  }

  public int index() {
    return index;
  }

  public SidecarIdentity identity() {
    return identity;
  }

  /** The Clusters last accepted, by name. */
  public Map<String, Cluster> clusters() {
    return clusters;
  }

  /**
   * Whether a whole configuration has arrived: Clusters and Listeners answered, and every
   * ClusterLoadAssignment and RouteConfiguration they name received.
   */
  public synchronized boolean complete() {
    TypeState endpoints = types.get(ResourceType.ENDPOINT);
    TypeState routes = types.get(ResourceType.ROUTE);
    return types.get(ResourceType.CLUSTER).answered
        && types.get(ResourceType.LISTENER).answered
        && endpoints.received.containsAll(endpoints.subscribed)
        && routes.received.containsAll(routes.subscribed);
  }

  /** The version last accepted of {@code type}; empty before the first. */
  public synchronized String version(ResourceType type) {
    return types.get(type).version;
  }

  public synchronized long responses() {
    return responses;
  }

  public synchronized long nacks() {
    return nacks;
  }

  /** Opens the ADS stream on {@code channel} and asks for Clusters and Listeners. */
  public synchronized void open(Channel channel) {
    if (requests != null) {
      throw new IllegalStateException("sidecar " + identity.id() + " is already open");
    }
    AggregatedDiscoveryServiceGrpc.newStub(channel).streamAggregatedResources(new Stream());
    for (ResourceType type : ResourceType.values()) {
      if (type.wildcard()) {
        TypeState state = types.get(type);
        state.requested = true;
        send(request(type, "", "", Set.of()));
      }
    }
  }

  /** Cancels the stream; the listener is not told. */
  public synchronized void close() {
    if (!closed) {
      closed = true;
      if (requests != null) {
        requests.cancel("the benchmark is done", null);
      }
    }
  }

  private synchronized void onResponse(DiscoveryResponse response) {
    if (closed) {
      return;
    }
    responses++;
    ResourceType type = ResourceType.of(response.getTypeUrl()).orElse(null);
    if (type == null) {
      nacks++;
      send(
          DiscoveryRequest.newBuilder()
              .setNode(node)
              .setTypeUrl(response.getTypeUrl())
              .setResponseNonce(response.getNonce())
              .setErrorDetail(error("unsupported resource type " + response.getTypeUrl()))
              .build());
      return;
    }
    TypeState state = types.get(type);
    state.nonce = response.getNonce();
    Set<String> named;
    Map<String, Cluster> accepted = null;
    try {
      switch (type) {
        case CLUSTER -> {
          accepted = clusters(response);
          named = endpointNames(accepted);
        }
        case LISTENER -> named = routeNames(response);
        case ENDPOINT, ROUTE -> {
          state.received.addAll(names(type, response));
          named = Set.of();
        }
        default -> throw new IllegalStateException("unknown type " + type);
      }
    } catch (InvalidProtocolBufferException e) {
      nacks++;
      send(
          request(type, state.version, state.nonce, state.subscribed).toBuilder()
              .setErrorDetail(error("cannot unpack: " + e.getMessage()))
              .build());
      return;
    }
    if (accepted != null) {
      clusters = accepted;
    }
    state.version = response.getVersionInfo();
    state.answered = true;
    send(request(type, state.version, state.nonce, state.subscribed));
    if (type == ResourceType.CLUSTER) {
      subscribe(ResourceType.ENDPOINT, named);
    } else if (type == ResourceType.LISTENER) {
      subscribe(ResourceType.ROUTE, named);
    }
    listener.accepted(this, type, System.nanoTime());
  }

  private synchronized void onEnd(Status status) {
    if (!closed) {
      closed = true;
      listener.lost(this, status);
    }
  }

  /** Subscribes to a new set of names, with the type's version and nonce; never to none. */
  private void subscribe(ResourceType type, Set<String> names) {
    TypeState state = types.get(type);
    if (names.isEmpty() || (state.requested && names.equals(state.subscribed))) {
      return;
    }
    state.requested = true;
    state.subscribed = names;
    send(request(type, state.version, state.nonce, names));
  }

  private DiscoveryRequest request(
      ResourceType type, String version, String nonce, Set<String> names) {
    return DiscoveryRequest.newBuilder()
        .setNode(node)
        .setTypeUrl(type.typeUrl())
        .setVersionInfo(version)
        .setResponseNonce(nonce)
        .addAllResourceNames(names)
        .build();
  }

  private void send(DiscoveryRequest request) {
    requests.onNext(request);
  }

  private static com.google.rpc.Status error(String message) {
    return com.google.rpc.Status.newBuilder()
        .setCode(Code.INVALID_ARGUMENT_VALUE)
        .setMessage(message)
        .build();
  }

  private static Map<String, Cluster> clusters(DiscoveryResponse response)
      throws InvalidProtocolBufferException {
    Map<String, Cluster> byName = new LinkedHashMap<>();
    for (Any any : response.getResourcesList()) {
      Cluster cluster = unwrap(any).unpack(Cluster.class);
      byName.put(cluster.getName(), cluster);
    }
    return Map.copyOf(byName);
  }

  /** The assignments an EDS cluster names: its service name, or else its own name. */
  private static Set<String> endpointNames(Map<String, Cluster> clusters) {
    Set<String> names = new TreeSet<>();
    for (Cluster cluster : clusters.values()) {
      if (cluster.hasEdsClusterConfig() || cluster.getType() == Cluster.DiscoveryType.EDS) {
        String serviceName = cluster.getEdsClusterConfig().getServiceName();
        names.add(serviceName.isEmpty() ? cluster.getName() : serviceName);
      }
    }
    return names;
  }

  /** The RouteConfigurations the listeners' HTTP connection managers ask for over RDS. */
  private static Set<String> routeNames(DiscoveryResponse response)
      throws InvalidProtocolBufferException {
    Set<String> names = new TreeSet<>();
    for (Any any : response.getResourcesList()) {
      Listener listener = unwrap(any).unpack(Listener.class);
      if (listener.hasApiListener()) {
        HttpConnectionManager manager =
            listener.getApiListener().getApiListener().unpack(HttpConnectionManager.class);
        if (manager.hasRds()) {
          names.add(manager.getRds().getRouteConfigName());
        }
      }
    }
    return names;
  }

  private static Set<String> names(ResourceType type, DiscoveryResponse response)
      throws InvalidProtocolBufferException {
    Set<String> names = new HashSet<>();
    for (Any any : response.getResourcesList()) {
      Any resource = unwrap(any);
      names.add(
          type == ResourceType.ENDPOINT
              ? resource.unpack(ClusterLoadAssignment.class).getClusterName()
              : resource.unpack(RouteConfiguration.class).getName());
    }
    return names;
  }

  private static Any unwrap(Any any) throws InvalidProtocolBufferException {
    return any.is(Resource.class) ? any.unpack(Resource.class).getResource() : any;
  }

  /** The stream's callbacks; gRPC calls them one at a time. */
  private final class Stream
      implements ClientResponseObserver<DiscoveryRequest, DiscoveryResponse> {
    @Override
    public void beforeStart(ClientCallStreamObserver<DiscoveryRequest> requestStream) {
      requests = requestStream;
    }

    @Override
    public void onNext(DiscoveryResponse response) {
      onResponse(response);
    }

    @Override
    public void onError(Throwable error) {
      onEnd(Status.fromThrowable(error));
    }

    @Override
    public void onCompleted() {
      onEnd(Status.UNAVAILABLE.withDescription("the server ended the stream"));
    }
  }
}
