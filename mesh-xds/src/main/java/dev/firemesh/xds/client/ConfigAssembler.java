package dev.firemesh.xds.client;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.rpc.Code;
import com.google.rpc.Status;
import dev.firemesh.traffic.config.DataPlaneConfig;
import dev.firemesh.xds.translate.XdsType;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment;
import io.envoyproxy.envoy.config.listener.v3.Listener;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.envoyproxy.envoy.service.discovery.v3.Resource;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The state-of-the-world xDS protocol as a client follows it, without the transport: what has been
 * accepted of each type, what to subscribe to, what to ACK or NACK, and when a consistent set is
 * complete and different from the one last published. Not thread-safe: one thread (the client's)
 * owns it.
 *
 * <p>Listeners and Clusters are subscribed by wildcard; RouteConfigurations and
 * ClusterLoadAssignments by the names the accepted Listeners and Clusters give. A set is complete
 * when Listeners and Clusters have each been answered and every name they give has arrived. A
 * response is NACKed, and its type keeps what it had, when one of its resources cannot be decoded,
 * or when it completes a set that cannot.
 */
final class ConfigAssembler {
  private static final int REJECTIONS_KEPT = 8;

  /** The order resources are requested in on a new stream: clusters before what routes to them. */
  private static final List<XdsType> REQUEST_ORDER =
      List.of(XdsType.CLUSTER, XdsType.ENDPOINT, XdsType.LISTENER, XdsType.ROUTE);

  private final Node node;
  private final Clock clock;
  private final Map<XdsType, TypeState> types = new EnumMap<>(XdsType.class);
  private final List<Rejection> rejections = new ArrayList<>();
  private XdsResources published = XdsResources.EMPTY;
  private Optional<DataPlaneConfig> config = Optional.empty();

  /** What one response brings about. */
  record Outcome(List<DiscoveryRequest> requests, Optional<DataPlaneConfig> newConfig) {}

  private static final class TypeState {
    Map<String, Message> accepted = Map.of();
    String version = "";
    boolean answered;
    // Per stream: the latest response's nonce and the names last requested (empty: wildcard, or
    // not requested yet).
    String nonce = "";
    Set<String> subscribed = Set.of();
    boolean requested;
  }

  ConfigAssembler(Node node, Clock clock) {
    this.node = node;
    this.clock = clock;
    for (XdsType type : XdsType.values()) {
      types.put(type, new TypeState());
    }
  }

  /**
   * The first requests of a new stream: everything known so far asked for afresh (no version), so
   * that a new control plane sends it all and the set is checked whole again.
   */
  List<DiscoveryRequest> streamStarted() {
    List<DiscoveryRequest> requests = new ArrayList<>();
    Set<String> routes = referencedRoutes(accepted(XdsType.LISTENER));
    Set<String> assignments = referencedAssignments(accepted(XdsType.CLUSTER));
    for (XdsType type : REQUEST_ORDER) {
      TypeState state = types.get(type);
      state.nonce = "";
      state.requested = false;
      state.subscribed = Set.of();
      Set<String> names =
          switch (type) {
            case LISTENER, CLUSTER -> Set.of();
            case ROUTE -> routes;
            case ENDPOINT -> assignments;
          };
      if (wildcard(type) || !names.isEmpty()) {
        state.requested = true;
        state.subscribed = names;
        requests.add(request(type, "", "", names).build());
      }
    }
    return requests;
  }

  Outcome onResponse(DiscoveryResponse response) {
    Optional<XdsType> known = XdsType.fromTypeUrl(response.getTypeUrl());
    if (known.isEmpty()) {
      String detail = "unsupported resource type " + response.getTypeUrl();
      return new Outcome(
          List.of(
              DiscoveryRequest.newBuilder()
                  .setNode(node)
                  .setTypeUrl(response.getTypeUrl())
                  .setResponseNonce(response.getNonce())
                  .setErrorDetail(error(detail))
                  .build()),
          Optional.empty());
    }
    XdsType type = known.get();
    TypeState state = types.get(type);
    state.nonce = response.getNonce();

    Map<XdsType, Map<String, Message>> candidate = new EnumMap<>(XdsType.class);
    types.forEach((t, s) -> candidate.put(t, s.accepted));
    try {
      Map<String, Message> received = unpack(type, response);
      if (wildcard(type)) {
        candidate.put(type, received);
      } else {
        // A route or endpoint response need hold only what changed; what it leaves out is kept.
        Map<String, Message> merged = new HashMap<>(state.accepted);
        merged.putAll(received);
        candidate.put(type, merged);
      }
    } catch (XdsDecodingException e) {
      return nack(type, response, e.getMessage());
    }

    Set<String> routes = referencedRoutes(candidate.get(XdsType.LISTENER));
    Set<String> assignments = referencedAssignments(candidate.get(XdsType.CLUSTER));
    XdsResources resources =
        new XdsResources(
            cast(candidate.get(XdsType.LISTENER)),
            cast(only(candidate.get(XdsType.ROUTE), routes)),
            cast(candidate.get(XdsType.CLUSTER)),
            cast(only(candidate.get(XdsType.ENDPOINT), assignments)));
    // What is no longer referenced is dropped, except while it stays subscribed (see subscribe):
    // the server will not send it again unless it changes.
    candidate.put(XdsType.ROUTE, only(candidate.get(XdsType.ROUTE), kept(XdsType.ROUTE, routes)));
    candidate.put(
        XdsType.ENDPOINT,
        only(candidate.get(XdsType.ENDPOINT), kept(XdsType.ENDPOINT, assignments)));

    boolean complete =
        (types.get(XdsType.LISTENER).answered || type == XdsType.LISTENER)
            && (types.get(XdsType.CLUSTER).answered || type == XdsType.CLUSTER)
            && resources.routeConfigurations().keySet().containsAll(routes)
            && resources.loadAssignments().keySet().containsAll(assignments);
    Optional<DataPlaneConfig> newConfig = Optional.empty();
    if (complete && (config.isEmpty() || !resources.equals(published))) {
      try {
        newConfig = Optional.of(XdsConfigDecoder.decode(resources, version(type, response)));
      } catch (XdsDecodingException e) {
        return nack(type, response, e.getMessage());
      } catch (RuntimeException e) {
        // A decoder bug must not stop the stream: the resources are refused like invalid ones.
        return nack(type, response, "cannot decode: " + e);
      }
    }

    // Accepted: commit the type, and the pruning of what no longer is referenced.
    candidate.forEach((t, accepted) -> types.get(t).accepted = accepted);
    state.version = response.getVersionInfo();
    state.answered = true;
    List<DiscoveryRequest> requests = new ArrayList<>();
    requests.add(request(type, state.version, state.nonce, state.subscribed).build());
    subscribe(XdsType.ROUTE, routes).ifPresent(requests::add);
    subscribe(XdsType.ENDPOINT, assignments).ifPresent(requests::add);
    if (newConfig.isPresent()) {
      published = resources;
      config = newConfig;
    }
    return new Outcome(requests, newConfig);
  }

  /** The configuration in force, if a complete set has been decoded. */
  Optional<DataPlaneConfig> config() {
    return config;
  }

  List<Rejection> rejections() {
    return List.copyOf(rejections);
  }

  /**
   * Subscribes to a new set of names. An empty set is not sent: to java-control-plane (and in the
   * legacy protocol) it would mean every resource. The old names stay subscribed and what arrives
   * for them is dropped as unreferenced.
   */
  private Optional<DiscoveryRequest> subscribe(XdsType type, Set<String> names) {
    TypeState state = types.get(type);
    if (names.isEmpty() || (state.requested && names.equals(state.subscribed))) {
      return Optional.empty();
    }
    state.requested = true;
    state.subscribed = names;
    return Optional.of(request(type, state.version, state.nonce, names).build());
  }

  /** The names to keep resources of: the referenced ones, or the subscription if none are. */
  private Set<String> kept(XdsType type, Set<String> referenced) {
    return referenced.isEmpty() ? types.get(type).subscribed : referenced;
  }

  private Outcome nack(XdsType type, DiscoveryResponse response, String detail) {
    TypeState state = types.get(type);
    rejections.add(new Rejection(type, response.getVersionInfo(), detail, clock.instant()));
    if (rejections.size() > REJECTIONS_KEPT) {
      rejections.removeFirst();
    }
    return new Outcome(
        List.of(
            request(type, state.version, response.getNonce(), state.subscribed)
                .setErrorDetail(error(detail))
                .build()),
        Optional.empty());
  }

  private DiscoveryRequest.Builder request(
      XdsType type, String version, String nonce, Set<String> names) {
    return DiscoveryRequest.newBuilder()
        .setNode(node)
        .setTypeUrl(type.typeUrl())
        .setVersionInfo(version)
        .setResponseNonce(nonce)
        .addAllResourceNames(names);
  }

  private static Status error(String detail) {
    return Status.newBuilder().setCode(Code.INVALID_ARGUMENT_VALUE).setMessage(detail).build();
  }

  /** The versions of the set, the responding type's being the new one. */
  private String version(XdsType responding, DiscoveryResponse response) {
    StringBuilder version = new StringBuilder();
    for (XdsType type :
        List.of(XdsType.LISTENER, XdsType.ROUTE, XdsType.CLUSTER, XdsType.ENDPOINT)) {
      if (!version.isEmpty()) {
        version.append(' ');
      }
      version
          .append(shortName(type))
          .append('=')
          .append(type == responding ? response.getVersionInfo() : types.get(type).version);
    }
    return version.toString();
  }

  private static String shortName(XdsType type) {
    return switch (type) {
      case LISTENER -> "lds";
      case ROUTE -> "rds";
      case CLUSTER -> "cds";
      case ENDPOINT -> "eds";
    };
  }

  private static boolean wildcard(XdsType type) {
    return type == XdsType.LISTENER || type == XdsType.CLUSTER;
  }

  private Map<String, Message> accepted(XdsType type) {
    return types.get(type).accepted;
  }

  /**
   * The response's resources by name, each decoded on its own so that a bad one is refused with its
   * own response.
   */
  private static Map<String, Message> unpack(XdsType type, DiscoveryResponse response)
      throws XdsDecodingException {
    Map<String, Message> byName = new LinkedHashMap<>();
    for (int i = 0; i < response.getResourcesCount(); i++) {
      Any any = response.getResources(i);
      String where = "resources[" + i + "]";
      Message message;
      try {
        if (any.is(Resource.class)) {
          any = any.unpack(Resource.class).getResource();
        }
        message = any.unpack(messageClass(type));
      } catch (InvalidProtocolBufferException e) {
        throw new XdsDecodingException(
            type, where, "", "cannot unpack " + any.getTypeUrl() + ": " + e.getMessage());
      }
      String name = name(message);
      if (name.isEmpty()) {
        throw new XdsDecodingException(type, where, "name", "a resource must have a name");
      }
      if (byName.put(name, message) != null) {
        throw new XdsDecodingException(type, name, "", "sent twice in one response");
      }
      try {
        check(type, name, message);
      } catch (RuntimeException e) {
        throw new XdsDecodingException(type, name, "", "cannot decode: " + e);
      }
    }
    return byName;
  }

  private static void check(XdsType type, String name, Message message)
      throws XdsDecodingException {
    switch (message) {
      case Listener listener -> XdsConfigDecoder.listener(listener);
      case RouteConfiguration routes -> XdsConfigDecoder.routeTable(routes);
      case Cluster cluster -> XdsConfigDecoder.cluster(cluster);
      case ClusterLoadAssignment assignment -> XdsConfigDecoder.endpoints(name, assignment);
      default -> throw new IllegalStateException("not a " + type + ": " + message);
    }
  }

  private static Class<? extends Message> messageClass(XdsType type) {
    return switch (type) {
      case LISTENER -> Listener.class;
      case ROUTE -> RouteConfiguration.class;
      case CLUSTER -> Cluster.class;
      case ENDPOINT -> ClusterLoadAssignment.class;
    };
  }

  private static String name(Message message) {
    return switch (message) {
      case Listener listener -> listener.getName();
      case RouteConfiguration routes -> routes.getName();
      case Cluster cluster -> cluster.getName();
      case ClusterLoadAssignment assignment -> assignment.getClusterName();
      default -> "";
    };
  }

  /** The RouteConfigurations the listeners name; they have been decoded before, so they decode. */
  private static Set<String> referencedRoutes(Map<String, Message> listeners) {
    Set<String> names = new TreeSet<>();
    for (Message message : listeners.values()) {
      try {
        if (XdsConfigDecoder.listener((Listener) message).routes()
            instanceof HttpListener.Routes.Rds(String name)) {
          names.add(name);
        }
      } catch (XdsDecodingException e) {
        throw new IllegalStateException("an accepted listener no longer decodes", e);
      }
    }
    return names;
  }

  private static Set<String> referencedAssignments(Map<String, Message> clusters) {
    Set<String> names = new TreeSet<>();
    for (Message message : clusters.values()) {
      try {
        if (XdsConfigDecoder.cluster((Cluster) message).endpoints()
            instanceof ClusterShape.Endpoints.Eds(String name)) {
          names.add(name);
        }
      } catch (XdsDecodingException e) {
        throw new IllegalStateException("an accepted cluster no longer decodes", e);
      }
    }
    return names;
  }

  private static Map<String, Message> only(Map<String, Message> resources, Set<String> names) {
    Map<String, Message> kept = new HashMap<>(resources);
    kept.keySet().retainAll(names);
    return kept;
  }

  @SuppressWarnings("unchecked") // each type's map holds only that type's messages
  private static <T extends Message> Map<String, T> cast(Map<String, Message> resources) {
    return (Map<String, T>) (Map<String, ?>) resources;
  }
}
